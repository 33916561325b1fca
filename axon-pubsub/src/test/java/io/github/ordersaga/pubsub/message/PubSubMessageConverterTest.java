package io.github.ordersaga.pubsub.message;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter.UnreadableMessageException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the converter refuses to read: each of these would otherwise enter the app and fail, or do harm, later. */
class PubSubMessageConverterTest {

    /** Like the published language's records: unknown properties ignored, so that new ones can be added. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reserve(@JsonProperty("uuid") String orderId, @JsonProperty("quantity") int quantity,
                   @JsonProperty("total") long total, @JsonProperty("note") @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
    }

    private final PubSubMessageConverter converter = new PubSubMessageConverter(JsonMapper.builder().findAndAddModules().build(),
            new MessageTypes(List.of(Reserve.class)), "uuid", "1", new PayloadRules(true, true));

    @Test
    void aCompleteMessageIsReadAndAnOptionalFieldMayBeAbsent() {
        // An absent number is 0, as for a flag its writer leaves out when false (e.g. "payment-error").
        Message<?> message = converter.fromPubSub(message("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}", "event"), "sub");

        assertThat(message.getPayload()).isEqualTo(new Reserve("o-1", 2, 20, null));
        assertThat(converter.fromPubSub(message("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}", "command"), "sub"))
                .isInstanceOf(CommandMessage.class);
        assertThat(converter.fromPubSub(message("{\"uuid\":\"o-1\",\"total\":20}", "event"), "sub").getPayload())
                .isEqualTo(new Reserve("o-1", 0, 20, null));
    }

    @Test
    void anInboundEventIsStampedWhenReceivedAndKeepsItsPublishersTimeInMetadata() {
        Instant before = Instant.now();
        PubsubMessage old = message("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}", "event").toBuilder()
                .putAttributes(Attributes.TIMESTAMP, "2026-01-02T03:04:05Z").build();

        EventMessage<?> event = (EventMessage<?>) converter.fromPubSub(old, "sub");

        assertThat(event.getTimestamp()).isBetween(before, Instant.now());
        assertThat(event.getMetaData()).containsEntry(Metadata.INBOUND_TIMESTAMP, "2026-01-02T03:04:05Z");
    }

    @Test
    void jsonOfAnotherShapeIsUnreadableNotARecordOfNulls() {
        assertUnreadable("{\"order\":{\"uuid\":\"o-1\",\"quantity\":2},\"note\":\"wrapped\"}", "field 'uuid' is missing");
    }

    @Test
    void aMissingNullOrBlankFieldIsUnreadable() {
        assertUnreadable("{\"quantity\":2,\"total\":20}", "field 'uuid' is missing");
        assertUnreadable("{\"uuid\":null,\"quantity\":2,\"total\":20}", "field 'uuid' is missing");
        assertUnreadable("{\"uuid\":\"  \",\"quantity\":2,\"total\":20}", "field 'uuid' is blank");
    }

    @Test
    void aNegativeNumberIsUnreadable() {
        assertUnreadable("{\"uuid\":\"o-1\",\"quantity\":-3,\"total\":20}", "field 'quantity' is negative: -3");
        assertUnreadable("{\"uuid\":\"o-1\",\"quantity\":3,\"total\":-1}", "field 'total' is negative: -1");
    }

    @Test
    void aFractionWhereAWholeNumberBelongsIsUnreadable() {
        assertUnreadable("{\"uuid\":\"o-1\",\"quantity\":1.5,\"total\":20}", "data is not a valid Reserve");
    }

    @Test
    void jsonFollowedByMoreIsUnreadable() {
        assertUnreadable("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20} }", "data is not a valid Reserve");
        assertUnreadable("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}{\"uuid\":\"o-2\"}", "data is not a valid Reserve");
    }

    @Test
    void aKindOtherThanEventOrCommandIsUnreadable() {
        assertThatThrownBy(() -> converter.fromPubSub(message("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}", "banana"), "sub"))
                .isInstanceOf(UnreadableMessageException.class).hasMessage("unknown kind 'banana'");
    }

    /** The app's own language rules (the published language's are {@code WireRules}), after the bridge's. */
    @Test
    void aPayloadTheLanguagesRulesRefuseIsUnreadableWithTheirReason() {
        PubSubMessageConverter withRules = new PubSubMessageConverter(JsonMapper.builder().findAndAddModules().build(),
                new MessageTypes(List.of(Reserve.class), p -> ((Reserve) p).orderId().contains("/") ? "field 'uuid' contains '/'" : null),
                "uuid", "1", new PayloadRules(true, true));

        assertThat(withRules.fromPubSub(message("{\"uuid\":\"o-1\",\"quantity\":2,\"total\":20}", "event"), "sub")).isNotNull();
        assertThatThrownBy(() -> withRules.fromPubSub(message("{\"uuid\":\"a/b\",\"quantity\":2,\"total\":20}", "event"), "sub"))
                .isInstanceOf(UnreadableMessageException.class).hasMessage("data is not a valid Reserve: field 'uuid' contains '/'");
    }

    private void assertUnreadable(String data, String reason) {
        assertThatThrownBy(() -> converter.fromPubSub(message(data, "event"), "sub"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining(reason);
    }

    private static PubsubMessage message(String data, String kind) {
        return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data))
                .putAttributes(Attributes.TYPE, "Reserve").putAttributes(Attributes.KIND, kind).build();
    }
}
