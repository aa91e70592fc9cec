package dev.shipgate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests against the run's shared service, with a client holding the test token (opened before any subclass setup). */
abstract class SharedAppTest {

    static Api api;

    @BeforeAll
    static void openApi() {
        api = new Api(TestApp.shared().config().httpPort(), TestApp.TOKEN);
    }

    @AfterAll
    static void closeApi() {
        api.close();
    }
}
