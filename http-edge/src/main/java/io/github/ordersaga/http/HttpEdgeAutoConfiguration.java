package io.github.ordersaga.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The filters every service puts in front of its endpoints: the body limit ({@link BodyLimitFilter}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpEdgeProperties.class)
public class HttpEdgeAutoConfiguration {

    @Bean
    BodyLimitFilter bodyLimitFilter(HttpEdgeProperties properties) {
        return new BodyLimitFilter(properties.maxBodyBytes());
    }
}
