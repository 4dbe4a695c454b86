package io.vendorlink.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Cisco Spaces connector's Camel endpoints. Activation is deliberately NOT under the error policy: it must never
 * be redelivered (a reused token deactivates the app, protocol note §A4).
 * <ul>
 *   <li>{@code direct:spaces-activate}: body JSON {@code {token, appDashboardUrl}} → JSON
 *       {@code {outcome, title, message, claims}};</li>
 *   <li>{@code direct:spaces-activation-page}: GET → the form; POST (form-encoded {@code token}, {@code appDashboardUrl})
 *       → the page with the outcome.</li>
 * </ul>
 */
public final class SpacesRoutes extends RouteBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpacesActivation activation;

    public SpacesRoutes(SpacesActivation activation) {
        this.activation = activation;
    }

    @Override
    public void configure() {
        from("direct:spaces-activate").routeId("spaces-activate")
                .process(e -> {
                    String text = e.getMessage().getBody(String.class);
                    JsonNode in = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
                    SpacesActivation.Result r = activation.activate(in.path("token").asText(""),
                            in.path("appDashboardUrl").asText(""));
                    e.getMessage().setHeaders(new LinkedHashMap<>(Map.of(Exchange.CONTENT_TYPE, "application/json",
                            Exchange.HTTP_RESPONSE_CODE, 200)));
                    e.getMessage().setBody(JSON.writeValueAsString(r.json()));
                });

        from("direct:spaces-activation-page").routeId("spaces-activation-page")
                .process(e -> {
                    String method = e.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
                    SpacesActivation.Result r = null;
                    if ("POST".equalsIgnoreCase(method)) {
                        Map<String, String> form = form(e);
                        r = activation.activate(form.getOrDefault("token", ""), form.getOrDefault("appDashboardUrl", ""));
                    }
                    e.getMessage().setHeaders(new LinkedHashMap<>(Map.of(Exchange.CONTENT_TYPE, "text/html; charset=utf-8",
                            Exchange.HTTP_RESPONSE_CODE, 200)));
                    e.getMessage().setBody(SpacesActivationPage.render(r));
                });
    }

    /** Form fields from the body, or from headers when the HTTP component has already decoded the form. */
    private static Map<String, String> form(Exchange e) {
        Map<String, String> out = new LinkedHashMap<>();
        Object body = e.getMessage().getBody();
        if (body instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        } else {
            String text = e.getMessage().getBody(String.class);
            if (text != null) {
                for (String pair : text.split("&")) {
                    int i = pair.indexOf('=');
                    if (i > 0) {
                        out.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        for (String k : new String[]{"token", "appDashboardUrl"}) {
            Object h = e.getMessage().getHeader(k);
            if (!out.containsKey(k) && h != null) {
                out.put(k, h.toString());
            }
        }
        return out;
    }
}
