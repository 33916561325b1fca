package io.github.ordersaga.pubsub.logging;

import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Opens the {@link LogContext} of each message an event processor (tracking, pooled, subscribing or a saga's) hands to
 * its handlers: they run on the processor's own threads, which the inbound receiver's context does not reach.
 */
public class LogContextInterceptor implements MessageHandlerInterceptor<Message<?>> {

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try (LogContext ignored = LogContext.of(unitOfWork.getMessage())) {
            return chain.proceed();
        }
    }
}
