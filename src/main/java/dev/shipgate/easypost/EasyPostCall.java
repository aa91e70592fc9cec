package dev.shipgate.easypost;

import com.easypost.exception.EasyPostException;
import com.easypost.service.EasyPostClient;

/** One blocking call of the official client; runs on the gateway's worker threads, never an event loop. */
@FunctionalInterface
public interface EasyPostCall<T> {

    T call(EasyPostClient client) throws EasyPostException;
}
