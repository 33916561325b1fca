package io.github.ordersaga.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page at http://127.0.0.1:8080/ in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs where missing), over the whole running system: an
 * order placed on the page reaches COMPLETED in its table, one with the payment-failure switch ends CANCELLED
 * with the reason also in the failure feed, and a bad quantity gets the API's message next to the field, all
 * without a reload. Screenshots of the end states go to {@code target/screenshots/}.
 * <p>
 * A machine without the browser fails this class (it does not skip it): the issue asks for these checks to run.
 */
@ExtendWith(LocalSystem.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the narrow screen last, with orders in its tables
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration PAGE = Duration.ofSeconds(20);

    private Path profile;
    private ChromeDriverService service;
    private WebDriver driver;
    private List<ProcessHandle> browserProcesses = List.of();

    @BeforeAll
    void startBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("%s and %s are needed: apt-get install chromium chromium-driver (.ci/run does it where it can)",
                        CHROMIUM, CHROMEDRIVER)
                .isTrue();
        // Named explicitly, so Selenium Manager is never asked to find (or download) a driver or a browser.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("browser-test-profile-");
        Files.createDirectories(LocalSystem.LOGS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,1700", "--lang=en-GB");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(LocalSystem.LOGS.resolve("chromedriver.log").toFile())
                .build();
        driver = new ChromeDriver(service, options);
        browserProcesses = chromeProcesses();
        Files.createDirectories(SCREENSHOTS);
    }

    /** The driver and the browser end with the class, and this checks that none of their processes is left. */
    @AfterAll
    void stopBrowser() {
        // Renderers started since the browser came up count too.
        browserProcesses = Stream.concat(browserProcesses.stream(), chromeProcesses().stream()).distinct().toList();
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> browserProcesses.stream().noneMatch(ProcessHandle::isAlive));
            } finally {
                List<ProcessHandle> left = browserProcesses.stream().filter(ProcessHandle::isAlive).toList();
                left.forEach(ProcessHandle::destroyForcibly); // only what this test started, by PID
                try {
                    deleteProfile();
                } catch (IOException e) {
                    System.err.println("could not delete " + profile + ": " + e);
                }
                assertThat(left).as("browser processes still running after quit").isEmpty();
            }
        }
    }

    @BeforeEach
    void openThePage() {
        driver.manage().window().setSize(new Dimension(1280, 1700));
        driver.get(LocalSystem.GATEWAY + "/");
        wait(PAGE).until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
        wait(PAGE).until(d -> new Select(d.findElement(By.id("item"))).getOptions().stream()
                .anyMatch(o -> "widget".equals(o.getAttribute("value"))));
        // Set on this page load; still there at the end means the page was never reloaded.
        js("window.noReload = true;");
    }

    @Test
    @Order(1)
    void anOrderPlacedOnThePageReachesCompletedLiveAndShowsInTheSuccessFeed() throws IOException {
        String uuid = placeOrder("widget", "3", "jack", false);

        WebElement row = wait(SETTLE).until(ExpectedConditions.presenceOfElementLocated(orderRow(uuid)));
        wait(SETTLE).until(ExpectedConditions.attributeToBe(orderRow(uuid), "data-status", "COMPLETED"));
        assertThat(row.findElement(By.cssSelector(".order-item")).getText()).isEqualTo("widget");
        assertThat(row.findElement(By.cssSelector(".order-quantity")).getText()).isEqualTo("3");
        assertThat(row.findElement(By.cssSelector(".order-user")).getText()).isEqualTo("jack");
        assertThat(row.findElement(By.cssSelector(".order-status")).getText()).isEqualTo("Completed");
        // The gateway was given a trace viewer (LocalSystem): the order's id links to Zipkin's search for its trace,
        // ending an hour ahead (TracingTest checks the order's spans carry the tag searched for).
        String link = row.findElement(By.cssSelector(".order-id a.trace-link")).getAttribute("href");
        String search = LocalSystem.spans().viewer() + "?annotationQuery=axon_aggregate_identifier%3D" + uuid + "&lookback=1d&endTs=";
        assertThat(link).startsWith(search).endsWith("&limit=10");
        long end = Long.parseLong(link.substring(search.length(), link.indexOf("&limit=")));
        assertThat(end - System.currentTimeMillis()).isBetween(Duration.ofMinutes(50).toMillis(), Duration.ofMinutes(61).toMillis());

        WebElement paid = wait(SETTLE).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#success-feed li[data-order-id='" + uuid + "']")));
        assertThat(paid.getAttribute("data-status")).isEqualTo("PAID");
        assertThat(paid.getAttribute("data-type")).isEqualTo("PaymentCreated");
        assertThat(paid.findElement(By.cssSelector(".entry-summary")).getText()).contains("total 30");

        // Stock and sagas are live too: the page's widget stock becomes what the API says, and the janitor answers.
        wait(SETTLE).until(d -> String.valueOf(Orders.available("widget"))
                .equals(d.findElement(By.cssSelector("#stock-body tr[data-item='widget']")).getAttribute("data-available")));
        wait(PAGE).until(ExpectedConditions.attributeToBe(By.id("sagas-summary"), "data-available", "true"));

        assertThat(js("return window.noReload === true;")).isEqualTo(true);
        screenshot("order-completed");
    }

    @Test
    @Order(2)
    void anOrderWithThePaymentFailureSwitchIsCancelledWithTheReasonAlsoInTheFailureFeed() throws IOException {
        String uuid = placeOrder("widget", "2", "jack", true);

        wait(SETTLE).until(ExpectedConditions.attributeToBe(orderRow(uuid), "data-status", "CANCELLED"));
        WebElement row = driver.findElement(orderRow(uuid));
        assertThat(row.findElement(By.cssSelector(".order-status")).getText()).isEqualTo("Cancelled");
        assertThat(row.findElement(By.cssSelector(".order-reason")).getText()).contains("simulated payment error");

        WebElement failure = wait(SETTLE).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#failure-feed li[data-order-id='" + uuid + "']")));
        assertThat(failure.getAttribute("data-status")).isEqualTo("PAYMENT_REJECTED");
        assertThat(failure.getAttribute("data-type")).isEqualTo("PaymentRejected");
        assertThat(failure.findElement(By.cssSelector(".entry-reason")).getText()).contains("simulated payment error");

        assertThat(js("return window.noReload === true;")).isEqualTo(true);
        screenshot("order-cancelled");
    }

    @Test
    @Order(3)
    void theChartShowsTheOrdersThatSettledAndTheirLatencyFromTheGatewaysMeters() throws IOException {
        // The orders of the tests before (one completed, one cancelled) are in the last minutes the page gets on load.
        WebElement summary = driver.findElement(By.id("chart-summary"));
        wait(SETTLE).until(d -> number(summary, "data-completed") >= 1 && number(summary, "data-cancelled") >= 1);

        double p50 = number(summary, "data-p50");
        double p99 = number(summary, "data-p99");
        assertThat(p50).as("p50 ms").isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).as("p99 ms").isLessThan(60_000);
        assertThat(summary.getText()).contains("completed").contains("cancelled").contains("p50");
        // Counted from the meter the gateway serves: never more than it has counted since it started.
        double counted = prometheusValue(Http.operatorGet(LocalSystem.GATEWAY + "/actuator/prometheus").body(),
                "ordersaga_gateway_order_latency_seconds_count", "outcome=\"completed\"");
        assertThat(number(summary, "data-completed")).isLessThanOrEqualTo(counted);
        for (String series : List.of("completed", "cancelled", "p50", "p99")) {
            // Read in one go: the lines are drawn again at each point (every second here).
            assertThat((String) js("return document.querySelector(\".chart-svg polyline[data-series='" + series + "']\").getAttribute('points');"))
                    .as("the %s line", series).isNotBlank();
        }
        screenshot("chart");
    }

    @Test
    @Order(4)
    void aBadQuantityShowsTheApisMessageNextToTheQuantityField() throws IOException {
        fillForm("widget", "0", "jack", false);
        driver.findElement(By.id("submit")).click();

        WebElement error = wait(PAGE).until(ExpectedConditions.visibilityOfElementLocated(By.id("quantity-error")));
        assertThat(error.getText()).contains("quantity must be between 1 and");
        WebElement quantity = driver.findElement(By.id("quantity"));
        assertThat(quantity.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(quantity.getAttribute("aria-describedby")).isEqualTo("quantity-error");
        assertThat(js("return document.getElementById('quantity').nextElementSibling.id;")).isEqualTo("quantity-error");
        assertThat(driver.findElement(By.id("order-result")).getAttribute("data-order-id")).isNull();
        assertThat(driver.findElement(By.id("item-error")).isDisplayed()).isFalse();
        screenshot("quantity-error");
    }

    @Test
    @Order(5)
    void thePageFitsANarrowScreenWithOrdersAsCards() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 1500));
        wait(PAGE).until(d -> (Boolean) js("return window.innerWidth <= 400;"));
        // Placed elsewhere (with curl, as in the README): the page shows it all the same.
        String uuid = Http.placeOrder("{\"item\":\"wotsit\",\"quantity\":4,\"user\":\"jill\",\"payment-error\":true}");

        wait(SETTLE).until(ExpectedConditions.attributeToBe(orderRow(uuid), "data-status", "CANCELLED"));
        WebElement reason = driver.findElement(orderRow(uuid)).findElement(By.cssSelector(".order-reason"));
        assertThat(reason.isDisplayed()).isTrue();
        assertThat(reason.getText()).contains("simulated payment error");
        assertThat(reason.getRect().getX() + reason.getRect().getWidth()).as("reason's right edge").isLessThanOrEqualTo(390);
        Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        WebElement submit = driver.findElement(By.id("submit"));
        assertThat(submit.isDisplayed()).isTrue();
        assertThat(submit.getRect().getX() + submit.getRect().getWidth()).isLessThanOrEqualTo(390);
        screenshot("narrow");
    }

    private String placeOrder(String item, String quantity, String user, boolean paymentFailure) {
        fillForm(item, quantity, user, paymentFailure);
        driver.findElement(By.id("submit")).click();
        return wait(PAGE).until(d -> {
            String id = d.findElement(By.id("order-result")).getAttribute("data-order-id");
            return id == null || id.isEmpty() ? null : id;
        });
    }

    private void fillForm(String item, String quantity, String user, boolean paymentFailure) {
        new Select(driver.findElement(By.id("item"))).selectByValue(item);
        WebElement quantityField = driver.findElement(By.id("quantity"));
        quantityField.clear();
        quantityField.sendKeys(quantity);
        WebElement userField = driver.findElement(By.id("user"));
        userField.clear();
        userField.sendKeys(user);
        WebElement paymentError = driver.findElement(By.id("payment-error"));
        if (paymentError.isSelected() != paymentFailure) {
            driver.findElement(By.cssSelector("label[for='payment-error']")).click(); // as a person would
        }
        assertThat(paymentError.isSelected()).isEqualTo(paymentFailure);
    }

    /** chromedriver and the browser it started: children of this JVM. */
    private static List<ProcessHandle> chromeProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false)).toList();
    }

    private static By orderRow(String uuid) {
        return By.cssSelector("#orders-body tr[data-order-id='" + uuid + "']");
    }

    private WebDriverWait wait(Duration deadline) {
        return new WebDriverWait(driver, deadline);
    }

    private static double number(WebElement element, String attribute) {
        String value = element.getAttribute(attribute);
        return value == null || value.isEmpty() ? -1 : Double.parseDouble(value);
    }

    /** The value of the sample of {@code metric} with {@code label} in a Prometheus scrape. */
    private static double prometheusValue(String scrape, String metric, String label) {
        return scrape.lines().filter(line -> line.startsWith(metric + "{") && line.contains(label)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(metric + " with " + label + " not on the gateway's /actuator/prometheus"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteProfile() throws IOException {
        if (profile == null || !Files.exists(profile)) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
