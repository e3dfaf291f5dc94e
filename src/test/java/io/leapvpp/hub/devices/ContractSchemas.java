package io.leapvpp.hub.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Schemas of docs/device-contract/, applied to real messages. */
final class ContractSchemas {

    private ContractSchemas() {
    }

    static JsonSchema load(String name) {
        try (InputStream in = Files.newInputStream(Path.of("docs/device-contract", name))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertValid(String schemaName, JsonNode message) {
        Set<ValidationMessage> errors = load(schemaName).validate(message);
        assertThat(errors.stream().map(ValidationMessage::getMessage).collect(Collectors.toList()))
                .as(schemaName + " violations of " + message).isEmpty();
    }

    static boolean isValid(String schemaName, JsonNode message) {
        return load(schemaName).validate(message).isEmpty();
    }
}
