package io.github.ordersaga.pubsub.outbound;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentMessagesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void keepsWhatWasPublishedWithinTheWindowOldestFirst() {
        RecentMessages recent = new RecentMessages(Duration.ofSeconds(60), 100, Set.of(), now::get);
        recent.add("a", message("1"));
        advance(Duration.ofSeconds(30));
        recent.add("b", message("2"));
        advance(Duration.ofSeconds(31));

        assertThat(recent.withinWindow()).extracting(RecentMessages.Sent::topic).containsExactly("b");
        advance(Duration.ofSeconds(30));
        assertThat(recent.withinWindow()).isEmpty();
    }

    @Test
    void keepsAtMostItsCapacityAndCountsWhatItLetGoEarly() {
        RecentMessages recent = new RecentMessages(Duration.ofMinutes(5), 3, Set.of(), now::get);
        for (int i = 1; i <= 5; i++) {
            recent.add("t", message(Integer.toString(i)));
        }

        assertThat(recent.withinWindow()).extracting(s -> s.message().getData().toStringUtf8()).containsExactly("3", "4", "5");
        assertThat(recent.droppedForCapacity()).isEqualTo(2);
    }

    @Test
    void keepsNothingWhenOffOrForAnExcludedTopic() {
        RecentMessages off = new RecentMessages(Duration.ZERO, 100, Set.of(), now::get);
        off.add("t", message("1"));
        RecentMessages on = new RecentMessages(Duration.ofMinutes(5), 100, Set.of("dead-letter"), now::get);
        on.add("dead-letter", message("1"));

        assertThat(off.enabled()).isFalse();
        assertThat(off.withinWindow()).isEmpty();
        assertThat(on.withinWindow()).isEmpty();
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private static PubsubMessage message(String data) {
        return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
    }
}
