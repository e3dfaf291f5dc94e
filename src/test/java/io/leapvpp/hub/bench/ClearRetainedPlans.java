package io.leapvpp.hub.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clears the retained plans the benches left on a bench broker (bench/hub-standalone.sh runs it on exit): every run of
 * the webhook bench names new gateways, each keeping a retained {@code vpp/{gateway}/plan}, and Mosquitto keeps them in
 * memory and in its persistence file until cleared (a day of runs left it at 3 GB). Reads retained topics, publishes an
 * empty retained message to each through one connection, and again until none is left. A mosquitto_pub process per topic took about a
 * minute per 10,000 and, still running after the hub had stopped, took CPU from the next bench.
 * Clears every retained {@code vpp/+/plan}: run it against a bench broker only. Args: brokerUrl
 */
public final class ClearRetainedPlans {

    public static void main(String[] args) throws Exception {
        String broker = args.length > 0 ? args[0] : "tcp://127.0.0.1:1883";
        MqttAsyncClient client = new MqttAsyncClient(broker, "bench-clear-plans-" + ProcessHandle.current().pid(), new MemoryPersistence());
        Set<String> topics = ConcurrentHashMap.newKeySet();
        AtomicLong lastArrival = new AtomicLong();
        client.setCallback(GroupDispatchBench.onMessage((topic, message) -> {
            if (message.isRetained() && message.getPayload().length > 0) {
                topics.add(topic);
            }
            lastArrival.set(System.nanoTime());
        }));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(10_000);
        // Mosquitto hands a new subscriber the retained messages of its filter at once and drops those beyond its
        // queue (1,000 by default), so one subscription sees a few thousand of them: subscribe, clear what came, and
        // again, until a subscription brings none
        int cleared = 0;
        int failed = 0;
        for (int pass = 0; pass < 1000; pass++) {
            topics.clear();
            lastArrival.set(System.nanoTime());
            client.subscribe("vpp/+/plan", 1).waitForCompletion(10_000);
            while (System.nanoTime() - lastArrival.get() < TimeUnit.MILLISECONDS.toNanos(500)) {
                Thread.sleep(50);
            }
            client.unsubscribe("vpp/+/plan").waitForCompletion(10_000);
            if (topics.isEmpty()) {
                break;
            }
            Semaphore window = new Semaphore(20); // Mosquitto's default receive maximum
            List<IMqttToken> tokens = new ArrayList<>(topics.size());
            for (String topic : topics) {
                window.acquire();
                tokens.add(client.publish(topic, new MqttMessage(new byte[0], 1, true, new MqttProperties()), null,
                        new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                            @Override public void onSuccess(IMqttToken token) {
                                window.release();
                            }
                            @Override public void onFailure(IMqttToken token, Throwable error) {
                                window.release();
                            }
                        }));
            }
            for (IMqttToken token : tokens) {
                token.waitForCompletion(10_000);
                if (token.getException() != null) {
                    failed++;
                } else {
                    cleared++;
                }
            }
            if (failed > 0) {
                break;
            }
        }
        client.disconnect().waitForCompletion(5_000);
        client.close();
        System.out.printf("cleared %,d retained plan(s) on %s%s%n", cleared, broker, failed > 0 ? ", " + failed + " could not be cleared" : "");
    }
}
