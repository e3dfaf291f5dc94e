package io.leapvpp.hub.operations;

import io.leapvpp.hub.HubApplication;
import io.leapvpp.hub.HubTestEnvironment;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub terminates TLS itself when configured, with TLS 1.2 and 1.3 only (what Leap requires of receivers). */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTls12And13Only() throws Exception {
        Path keystore = dir.resolve("hub.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hub", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit-tls", "-keypass", "changeit-tls")
                .inheritIO().start();
        assertThat(keytool.waitFor()).isZero();

        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class).run(
                "--spring.profiles.active=test", "--server.port=0",
                "--spring.datasource.url=" + HubTestEnvironment.postgres().jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--server.ssl.enabled=true", "--server.ssl.key-store=" + keystore,
                "--server.ssl.key-store-password=changeit-tls")) {
            TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) hub).getWebServer();
            Connector connector = server.getTomcat().getConnector();
            String[] protocols = connector.findSslHostConfigs()[0].getEnabledProtocols();
            assertThat(Arrays.asList(protocols)).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");

            for (String protocol : new String[]{"TLSv1.3", "TLSv1.2"}) {
                HttpClient client = HttpClient.newBuilder().sslContext(trustAll())
                        .sslParameters(new SSLParameters(null, new String[]{protocol})).build();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.getPort() + "/actuator/health/liveness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(protocol).isEqualTo(200);
            }
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
