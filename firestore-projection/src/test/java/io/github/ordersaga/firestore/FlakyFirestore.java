package io.github.ordersaga.firestore;

import com.google.api.core.ApiFutures;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.Firestore;
import io.grpc.Status;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** A Firestore whose transactions fail, as when Firestore is down, once a given number of them have run. */
final class FlakyFirestore {

    private final AtomicInteger transactionsLeft = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Status.Code failure = Status.Code.UNAVAILABLE;
    final Firestore firestore;

    FlakyFirestore(Firestore real) {
        firestore = (Firestore) Proxy.newProxyInstance(Firestore.class.getClassLoader(), new Class<?>[]{Firestore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("runTransaction") && transactionsLeft.getAndDecrement() <= 0) {
                        failures.incrementAndGet();
                        return ApiFutures.immediateFailedFuture(ApiExceptionFactory.createException(
                                "simulated " + failure, null, GrpcStatusCode.of(failure), true));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Transactions fail with {@code code} once {@code succeeding} more have run. */
    void failAfter(int succeeding, Status.Code code) {
        failure = code;
        transactionsLeft.set(succeeding);
    }

    void recover() {
        transactionsLeft.set(Integer.MAX_VALUE);
    }

    int failures() {
        return failures.get();
    }
}
