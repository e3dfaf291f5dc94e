package io.leapvpp.hub.operations;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

import java.util.function.Consumer;

/** Startup checks that need every route started: they run once Camel is fully started, also when a test starts it. */
final class StartupChecks {

    private StartupChecks() {
    }

    static void onceFullyStarted(CamelContext camel, String what, Consumer<CamelContext> check) {
        try {
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // routes are not all started yet
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    check.accept(context);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("could not register the " + what, e);
        }
    }
}
