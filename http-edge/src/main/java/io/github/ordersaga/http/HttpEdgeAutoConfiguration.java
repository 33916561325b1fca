package io.github.ordersaga.http;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The filters every service puts in front of its endpoints, in this order: the log context ({@link LogContextFilter}),
 * the body limit ({@link BodyLimitFilter}),
 * the operator token ({@link OperatorTokenFilter}), JSON-only operator bodies ({@link JsonBodyFilter}); and, on
 * Tomcat, problems for what Tomcat refuses itself ({@link TomcatProblems}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpEdgeProperties.class)
public class HttpEdgeAutoConfiguration {

    @Bean
    LogContextFilter logContextFilter() {
        return new LogContextFilter();
    }

    @Bean
    BodyLimitFilter bodyLimitFilter(HttpEdgeProperties properties) {
        return new BodyLimitFilter(properties.maxBodyBytes());
    }

    @Bean
    OperatorTokenFilter operatorTokenFilter(HttpEdgeProperties properties,
                                            @Value("${ordersaga.operator-token:}") String token) {
        return new OperatorTokenFilter(new OperatorPaths(properties.operatorPaths()), token);
    }

    @Bean
    JsonBodyFilter jsonBodyFilter(HttpEdgeProperties properties) {
        return new JsonBodyFilter(new OperatorPaths(properties.operatorPaths()));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    static class OnTomcat {

        @Bean
        TomcatProblems tomcatProblems() {
            return new TomcatProblems();
        }
    }
}
