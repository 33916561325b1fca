// The order saga's page: places orders through POST /order and follows everything live through GET /events
// (server-sent events named settings, order, success, failure, stock, sagas and chart). Plain JS, no build step.
(function () {
  'use strict';

  var MAX_ORDERS = 50;
  var MAX_FEED = 50;
  var FORM_FIELDS = ['item', 'quantity', 'user'];
  var STATUS_LABELS = {
    ACCEPTED: 'Accepted',
    CREATED: 'Created',
    STOCK_RESERVED: 'Stock reserved',
    PAID: 'Paid',
    COMPLETED: 'Completed',
    CANCELLED: 'Cancelled',
    REJECTED: 'Rejected',
    STOCK_REJECTED: 'Stock rejected',
    PAYMENT_REJECTED: 'Payment rejected'
  };

  var $ = function (id) { return document.getElementById(id); };
  var orderRows = {};          // uuid -> <tr>
  var stockRows = {};          // item -> <tr>
  var seenMessages = {};       // message_id -> true (a reconnect sends the recent ones again)
  var sagasClockOffset = 0;    // server clock minus ours, for the sagas' ages
  var sagasShown = [];
  var chartPoints = [];        // the 'chart' events of the last minutes, oldest first
  var CHART_POINTS = 120;
  var SVG = 'http://www.w3.org/2000/svg';
  var traceViewer = null;      // Zipkin's UI when the gateway was given one: each order id links to its trace

  // ---------- small helpers ----------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== undefined && attrs[name] !== null) { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function text(node, value) {
    var shown = value === undefined || value === null ? '' : String(value);
    if (node.textContent !== shown) { node.textContent = shown; }
  }

  function shortId(uuid) { return uuid ? String(uuid).slice(0, 8) : ''; }

  function shortIdNode(uuid) {
    return uuid ? el('code', { 'class': 'entry-order', title: uuid }, [shortId(uuid)]) : null;
  }

  // Text and nodes, with a separator between them.
  function joined(parts, separator) {
    var out = [];
    parts.forEach(function (part, i) {
      if (i > 0) { out.push(separator); }
      out.push(part);
    });
    return out;
  }

  function clock(iso) {
    if (!iso) { return ''; }
    var date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString([], { hour12: false });
  }

  function statusBadge(status) {
    return el('span', { 'class': 'badge', 'data-badge': status }, [STATUS_LABELS[status] || status || '']);
  }

  function updateEmpty(listId, emptyNode) {
    var list = $(listId);
    (emptyNode || document.querySelector('[data-empty-for="' + listId + '"]')).hidden = list.children.length > 0;
  }

  // ---------- the form ----------

  function loadItems() {
    fetch('/inventory', { headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('the inventory answered ' + response.status); }
        return response.json();
      })
      .then(function (items) {
        items.forEach(function (item) { addItemOption(item.item); showStock(item); });
        if (!$('item').value && $('item').options.length) { $('item').selectedIndex = 0; }
      })
      .catch(function (error) {
        showFormError('Could not load the items (' + error.message + '). Retrying…');
        setTimeout(loadItems, 3000);
      });
  }

  function addItemOption(item) {
    var select = $('item');
    if (!item || Array.prototype.some.call(select.options, function (o) { return o.value === item; })) { return; }
    var option = el('option', { value: item }, [item]);
    var before = Array.prototype.find.call(select.options, function (o) { return o.value > item; });
    select.insertBefore(option, before || null);
    if (select.options.length === 1) { select.selectedIndex = 0; }
  }

  function removeItemOption(item) {
    Array.prototype.forEach.call($('item').options, function (o) { if (o.value === item) { o.remove(); } });
  }

  function clearErrors() {
    FORM_FIELDS.forEach(function (field) {
      var message = $(field + '-error');
      message.hidden = true;
      text(message, '');
      $(field).removeAttribute('aria-invalid');
    });
    $('form-error').hidden = true;
    text($('form-error'), '');
  }

  function showFieldError(field, detail) {
    if (FORM_FIELDS.indexOf(field) < 0) { showFormError(detail); return; }
    var message = $(field + '-error');
    text(message, detail);
    message.hidden = false;
    $(field).setAttribute('aria-invalid', 'true');
    $(field).focus();
  }

  function showFormError(detail) {
    text($('form-error'), detail);
    $('form-error').hidden = false;
  }

  // What a person typed, as the API expects it: a whole number is sent as a number, anything else as typed,
  // so that the API's own message says what is wrong with it.
  function quantityValue() {
    var raw = $('quantity').value.trim();
    if (raw === '') { return undefined; }
    return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }

  function submitOrder(event) {
    event.preventDefault();
    clearErrors();
    var body = { item: $('item').value, quantity: quantityValue(), user: $('user').value.trim() };
    if ($('payment-error').checked) { body['payment-error'] = true; }
    var button = $('submit');
    button.disabled = true;
    text(button, 'Placing…');
    var result = $('order-result');
    text(result, '');
    result.removeAttribute('data-order-id');
    fetch('/order', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { ok: response.ok, status: response.status, body: json };
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          var order = answer.body;
          result.setAttribute('data-order-id', order.uuid);
          text(result, 'Order ' + order.uuid + ' accepted: ' + order.quantity + ' × ' + order.item + ' for ' + order.user + '.');
          upsertOrder({ uuid: order.uuid, item: order.item, quantity: order.quantity, user: order.user,
            status: 'ACCEPTED', created_at: new Date().toISOString() }, true);
        } else {
          var problem = answer.body || {};
          showFieldError(problem.field, problem.detail || problem.title || ('The order was refused (' + answer.status + ').'));
        }
      })
      .catch(function (error) {
        showFormError('The gateway could not be reached: ' + error.message);
      })
      .then(function () {
        button.disabled = false;
        text(button, 'Place order');
      });
  }

  // ---------- recent orders ----------

  function orderTime(order) { return order.created_at || order.updated_at || ''; }

  // Only a local "accepted" row is ever replaced by what the server knows; a server status is never undone by it.
  function upsertOrder(order, local) {
    if (!order || !order.uuid) { return; }
    var row = orderRows[order.uuid];
    if (row && local) { return; }
    if (!row) {
      row = el('tr', { 'data-order-id': order.uuid, role: 'row' }, [
        cell('order-id', [orderIdNode(order.uuid)]),
        cell('order-item'), cell('order-quantity num'), cell('order-user'),
        cell('order-status'), cell('order-reason'), cell('order-updated')
      ]);
      row.setAttribute('data-created', orderTime(order));
      placeOrderRow(row);
      orderRows[order.uuid] = row;
    }
    if (!local && order.created_at) { row.setAttribute('data-created', order.created_at); }
    var cells = row.children;
    if (order.item !== undefined) { text(cells[1], order.item); }
    if (order.quantity !== undefined) { text(cells[2], order.quantity); }
    if (order.user !== undefined) { text(cells[3], order.user); }
    if (row.getAttribute('data-status') !== order.status) {
      row.setAttribute('data-status', order.status);
      cells[4].replaceChildren(statusBadge(order.status));
      flash(row);
    }
    text(cells[5], order.reason || '');
    text(cells[6], clock(order.updated_at || order.created_at));
    $('orders-empty').hidden = true;
  }

  // The order's id; with a trace viewer, a link to Zipkin's search for the trace holding its spans (Axon tags the
  // aggregate's spans with the order id): with an end time, Zipkin runs the search as it opens, and the trace it
  // finds shows each hop with its start and duration. The end is an hour ahead: the order's spans all come before.
  function orderIdNode(uuid) {
    var code = el('code', { title: uuid }, [shortId(uuid)]);
    if (!traceViewer) { return code; }
    var query = '?annotationQuery=' + encodeURIComponent('axon_aggregate_identifier=' + uuid) + '&lookback=1d&endTs='
      + (Date.now() + 3600000) + '&limit=10';
    return el('a', { 'class': 'trace-link', href: traceViewer + query, target: '_blank', rel: 'noopener',
      title: 'Order ' + uuid + ': its trace, every hop with its start and duration' }, [code]);
  }

  function applySettings(settings) {
    var viewer = settings && settings.trace_viewer ? settings.trace_viewer : null;
    if (viewer === traceViewer) { return; }
    traceViewer = viewer;
    Object.keys(orderRows).forEach(function (uuid) {
      orderRows[uuid].children[0].replaceChildren(orderIdNode(uuid));
    });
  }

  function cell(className, children) {
    return el('td', { 'class': className, role: 'cell' }, children);
  }

  function placeOrderRow(row) {
    var body = $('orders-body');
    var created = row.getAttribute('data-created');
    var after = Array.prototype.find.call(body.children, function (other) {
      return other.getAttribute('data-created') < created;
    });
    body.insertBefore(row, after || null);
    while (body.children.length > MAX_ORDERS) {
      var last = body.lastElementChild;
      delete orderRows[last.getAttribute('data-order-id')];
      last.remove();
    }
  }

  function flash(node) {
    node.classList.remove('changed');
    void node.offsetWidth; // restart the animation
    node.classList.add('changed');
  }

  // ---------- successes and failures ----------

  function addFeedEntry(listId, entry) {
    var key = entry.message_id || (entry.type + ':' + entry.uuid);
    if (seenMessages[key]) { return; }
    seenMessages[key] = true;
    var data = entry.data || {};
    var summary = [shortIdNode(entry.uuid), data.user, data.item && (data.quantity + ' × ' + data.item)];
    if (data.total_invoice !== undefined) {
      summary.push('total ' + data.total_invoice + (data.price_per_unit !== undefined ? ' (' + data.price_per_unit + ' each)' : ''));
    }
    var item = el('li', {
      'class': 'feed-entry', 'data-order-id': entry.uuid, 'data-status': entry.status,
      'data-type': entry.type, 'data-message-id': entry.message_id
    }, [
      el('div', { 'class': 'entry-head' }, [
        statusBadge(entry.status),
        el('span', { 'class': 'entry-type' }, [entry.type || '']),
        el('time', { datetime: entry.publish_time }, [clock(entry.publish_time)])
      ]),
      el('p', { 'class': 'entry-summary' }, joined(summary.filter(Boolean), ' · '))
    ]);
    if (entry.reason) {
      item.appendChild(el('p', { 'class': 'entry-reason' }, [entry.reason]));
    }
    // What gcloud pubsub subscriptions pull shows: the data as it was on the wire, the message id, ordering key
    // and attributes.
    item.appendChild(el('pre', { 'class': 'entry-data', 'aria-label': 'message data' }, [JSON.stringify(data)]));
    item.appendChild(el('details', { 'class': 'entry-message' }, [
      el('summary', {}, ['Message id and attributes']),
      el('dl', {}, [
        el('dt', {}, ['message_id']), el('dd', {}, [entry.message_id || '']),
        el('dt', {}, ['ordering_key']), el('dd', {}, [entry.ordering_key || '']),
        el('dt', {}, ['type']), el('dd', {}, [entry.type || '']),
        el('dt', {}, ['timestamp']), el('dd', {}, [entry.publish_time || '']),
        el('dt', {}, ['subscription']), el('dd', {}, [entry.subscription || ''])
      ])
    ]));
    var list = $(listId);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_FEED) { list.lastElementChild.remove(); }
    updateEmpty(listId);
  }

  // ---------- stock ----------

  function showStock(doc) {
    if (!doc || !doc.item) { return; }
    if (doc.removed) {
      if (stockRows[doc.item]) { stockRows[doc.item].remove(); delete stockRows[doc.item]; }
      removeItemOption(doc.item);
      return;
    }
    addItemOption(doc.item);
    var row = stockRows[doc.item];
    if (!row) {
      row = el('tr', { 'data-item': doc.item }, [
        el('th', { scope: 'row' }, [doc.item]),
        el('td', { 'class': 'stock-available num' }), el('td', { 'class': 'stock-reserved num' }), el('td', { 'class': 'stock-price num' })
      ]);
      var body = $('stock-body');
      var after = Array.prototype.find.call(body.children, function (other) { return other.getAttribute('data-item') > doc.item; });
      body.insertBefore(row, after || null);
      stockRows[doc.item] = row;
    }
    var available = doc.available === undefined ? '' : String(doc.available);
    if (row.getAttribute('data-available') !== available) {
      row.setAttribute('data-available', available);
      flash(row);
    }
    text(row.children[1], available);
    text(row.children[2], doc.reserved === undefined ? '' : doc.reserved);
    text(row.children[3], doc.price_per_unit === undefined ? '' : doc.price_per_unit);
  }

  // ---------- open sagas ----------

  function showSagas(state) {
    var summary = $('sagas-summary');
    if (state.server_time) { sagasClockOffset = new Date(state.server_time).getTime() - Date.now(); }
    if (!state.available) {
      summary.setAttribute('data-available', 'false');
      summary.removeAttribute('data-open');
      text(summary, 'The janitor is unavailable: ' + (state.error || 'no answer') + '.');
      sagasShown = [];
    } else {
      summary.setAttribute('data-available', 'true');
      summary.setAttribute('data-open', state.open);
      text(summary, state.open === 0 ? 'No open sagas: every order has settled.'
        : state.open + (state.open === 1 ? ' order is' : ' orders are') + ' still on its way.');
      sagasShown = state.sagas || [];
    }
    var body = $('sagas-body');
    body.replaceChildren.apply(body, sagasShown.map(function (saga) {
      var stage = el('td', {}, [saga.stage || '']);
      if (saga.reason) { stage.appendChild(el('span', { 'class': 'saga-reason' }, [saga.reason])); }
      return el('tr', { 'data-order-id': saga.uuid, 'data-stage': saga.stage }, [
        el('td', {}, [el('code', { title: saga.uuid }, [shortId(saga.uuid)])]),
        stage,
        el('td', { 'class': 'saga-age num', 'data-started': saga.started_at }, [])
      ]);
    }));
    tickSagaAges();
  }

  function tickSagaAges() {
    var now = Date.now() + sagasClockOffset;
    Array.prototype.forEach.call(document.querySelectorAll('#sagas-body .saga-age'), function (cell) {
      var started = new Date(cell.getAttribute('data-started')).getTime();
      text(cell, isNaN(started) ? '' : Math.max(0, Math.round((now - started) / 1000)) + ' s');
    });
  }

  // ---------- the chart: orders per second by outcome, and p50 / p99 from POST to terminal state ----------

  function addChartPoint(point) {
    if (!point || !point.time) { return; }
    // A reconnect sends the last minutes again.
    if (chartPoints.length && chartPoints[chartPoints.length - 1].time >= point.time) { return; }
    chartPoints.push(point);
    while (chartPoints.length > CHART_POINTS) { chartPoints.shift(); }
    drawChart();
  }

  function drawChart() {
    var totals = { completed: 0, cancelled: 0, rejected: 0 };
    var latest = null;
    chartPoints.forEach(function (p) {
      Object.keys(totals).forEach(function (outcome) { totals[outcome] += p[outcome] || 0; });
      if (p.p50_ms !== null && p.p50_ms !== undefined) { latest = p; }
    });
    var summary = $('chart-summary');
    summary.setAttribute('data-points', chartPoints.length);
    Object.keys(totals).forEach(function (outcome) { summary.setAttribute('data-' + outcome, totals[outcome]); });
    if (latest) {
      summary.setAttribute('data-p50', latest.p50_ms);
      summary.setAttribute('data-p99', latest.p99_ms);
    }
    var settled = totals.completed + totals.cancelled + totals.rejected;
    var minutes = chartPoints.length ? Math.max(1, Math.round(chartPoints.reduce(function (sum, p) { return sum + p.seconds; }, 0) / 60)) : 0;
    text(summary, settled === 0 ? 'No order settled in the last minutes.'
      : 'Last ' + minutes + ' min: ' + totals.completed + ' completed, ' + totals.cancelled + ' cancelled, ' + totals.rejected
        + ' rejected' + (latest ? '; latest p50 ' + Math.round(latest.p50_ms) + ' ms, p99 ' + Math.round(latest.p99_ms) + ' ms.' : '.'));
    drawLines($('chart-rate'), ['completed', 'cancelled', 'rejected'], function (p, series) { return p[series + '_per_second']; });
    drawLines($('chart-latency'), ['p50', 'p99'], function (p, series) { return p[series + '_ms']; });
  }

  // Lines over the points' times (the newest at the right edge), on a linear axis from 0 to a round maximum.
  function drawLines(svg, series, value) {
    var width = 300, height = 110, left = 34, bottom = 14, top = 4;
    var end = chartPoints.length ? new Date(chartPoints[chartPoints.length - 1].time).getTime() : 0;
    var span = chartPoints.reduce(function (sum, p) { return sum + p.seconds; }, 0) * 1000 || 1;
    var max = 0;
    chartPoints.forEach(function (p) {
      series.forEach(function (s) { var v = value(p, s); if (typeof v === 'number' && v > max) { max = v; } });
    });
    max = niceCeiling(max);
    function x(p) { return left + (width - left) * (1 - (end - new Date(p.time).getTime()) / span); }
    function y(v) { return top + (height - bottom - top) * (1 - v / max); }
    var nodes = [svgNode('line', { 'class': 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }),
      svgNode('line', { 'class': 'axis', x1: left, y1: top, x2: left, y2: height - bottom })];
    [0, max / 2, max].forEach(function (v) {
      var label = svgNode('text', { 'class': 'tick', x: left - 3, y: y(v) + 3, 'text-anchor': 'end' });
      label.textContent = v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
      nodes.push(label);
    });
    var minutesLabel = svgNode('text', { 'class': 'tick', x: left, y: height - 2 });
    minutesLabel.textContent = chartPoints.length ? '−' + Math.round(span / 60000 * 10) / 10 + ' min' : '';
    var nowLabel = svgNode('text', { 'class': 'tick', x: width, y: height - 2, 'text-anchor': 'end' });
    nowLabel.textContent = 'now';
    nodes.push(minutesLabel, nowLabel);
    series.forEach(function (s) {
      var points = chartPoints.filter(function (p) { return typeof value(p, s) === 'number'; })
        .map(function (p) { return x(p).toFixed(1) + ',' + y(value(p, s)).toFixed(1); });
      nodes.push(svgNode('polyline', { 'data-series': s, points: points.join(' ') }));
    });
    svg.replaceChildren.apply(svg, nodes);
  }

  function niceCeiling(value) {
    if (!(value > 0)) { return 1; }
    var magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (value <= steps[i] * magnitude) { return steps[i] * magnitude; } }
    return 10 * magnitude;
  }

  function svgNode(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  // ---------- the live feed ----------

  function connect() {
    var connection = $('connection');
    var source = new EventSource('/events');
    function on(name, handler) {
      source.addEventListener(name, function (event) {
        var payload;
        try { payload = JSON.parse(event.data); } catch (e) { return; }
        handler(payload);
      });
    }
    on('settings', applySettings);
    on('order', function (order) { upsertOrder(order, false); });
    on('success', function (entry) { addFeedEntry('success-feed', entry); });
    on('failure', function (entry) { addFeedEntry('failure-feed', entry); });
    on('stock', showStock);
    on('sagas', showSagas);
    on('chart', addChartPoint);
    source.onopen = function () {
      connection.setAttribute('data-state', 'live');
      text(connection, 'Live');
    };
    source.onerror = function () {
      // The browser reconnects by itself, and the gateway then sends the current state again.
      var closed = source.readyState === EventSource.CLOSED;
      connection.setAttribute('data-state', closed ? 'closed' : 'reconnecting');
      text(connection, closed ? 'Live feed closed; trying again shortly…' : 'Reconnecting…');
      if (closed) { setTimeout(function () { source.close(); connect(); }, 5000); }
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('order-form').addEventListener('submit', submitOrder);
    FORM_FIELDS.forEach(function (field) {
      $(field).addEventListener('input', function () {
        $(field + '-error').hidden = true;
        $(field).removeAttribute('aria-invalid');
      });
    });
    updateEmpty('success-feed');
    updateEmpty('failure-feed');
    drawChart();
    loadItems();
    connect();
    setInterval(tickSagaAges, 1000);
  });
}());
