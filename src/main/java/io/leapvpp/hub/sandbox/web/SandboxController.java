package io.leapvpp.hub.sandbox.web;

import org.springframework.web.bind.annotation.ResponseBody;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a sandbox controller. Deliberately NOT a Spring stereotype ({@code @Controller}/{@code @Component}): the hub's
 * component scan of {@code io.leapvpp.hub} can therefore never register these classes in the hub's own web context.
 * Only the sandbox's isolated context registers them explicitly and maps them via {@link SandboxWebMvcConfiguration}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ResponseBody
public @interface SandboxController {
}
