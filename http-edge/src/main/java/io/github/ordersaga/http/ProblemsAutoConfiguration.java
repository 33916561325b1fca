package io.github.ordersaga.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Problems in Spring MVC, for every service and in {@code @WebMvcTest} slices too: the writer ({@link ProblemAdvice}),
 * {@code /error} ({@link ProblemErrorController}) and the catalogue the types resolve to
 * ({@link ProblemCatalogueController}). Before Boot's own, which then back off.
 */
@AutoConfiguration(before = {WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({ProblemAdvice.class, ProblemErrorController.class, ProblemCatalogueController.class})
public class ProblemsAutoConfiguration {
}
