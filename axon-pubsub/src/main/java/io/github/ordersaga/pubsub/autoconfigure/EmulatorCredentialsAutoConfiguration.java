package io.github.ordersaga.pubsub.autoconfigure;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The emulator needs no credentials; without this bean spring-cloud-gcp logs a credentials stack trace. */
@AutoConfiguration(before = GcpContextAutoConfiguration.class)
@ConditionalOnExpression("!'${spring.cloud.gcp.pubsub.emulator-host:}'.isEmpty()")
public class EmulatorCredentialsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CredentialsProvider.class)
    public CredentialsProvider googleCredentials() {
        return NoCredentialsProvider.create();
    }
}
