package io.vendorlink.spaces;

import java.util.Map;

/**
 * The activation page (issue 6 item 1): one form where the customer pastes the token, and the outcome in plain words
 * with the claims that matter (customer, app, expiry). The apiKey is never shown. Plain HTML, no script.
 */
final class SpacesActivationPage {
    private SpacesActivationPage() {
    }

    static String render(SpacesActivation.Result result) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Connect Cisco Spaces</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>")
                .append("body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}")
                .append("textarea,input{width:100%;box-sizing:border-box;font-family:monospace;padding:.5rem}")
                .append("button{margin-top:1rem;padding:.5rem 1.5rem}.outcome{padding:1rem;border-radius:.4rem;margin:1rem 0}")
                .append(".ok{background:#e6f4ea}.bad{background:#fce8e6}.unknown{background:#fef7e0}")
                .append("dt{font-weight:bold}dd{margin:0 0 .5rem 0}</style></head><body>")
                .append("<h1>Connect Cisco Spaces</h1>");
        if (result != null) {
            String css = result.kind() == SpacesActivation.Result.Kind.ACTIVATED ? "ok"
                    : result.kind() == SpacesActivation.Result.Kind.UNKNOWN_OUTCOME ? "unknown" : "bad";
            b.append("<div id=\"outcome\" class=\"outcome ").append(css).append("\" data-outcome=\"")
                    .append(result.kind().name()).append("\"><h2 id=\"outcome-title\">").append(esc(result.kind().words))
                    .append("</h2><p id=\"outcome-message\">").append(esc(result.message())).append("</p></div>");
            Map<String, Object> c = result.claims();
            if (c != null) {
                b.append("<dl id=\"claims\"><dt>Customer</dt><dd id=\"claim-customer\">").append(esc(c.get("customer")))
                        .append("</dd><dt>App</dt><dd id=\"claim-app\">").append(esc(c.get("appId")))
                        .append("</dd><dt>Expires</dt><dd id=\"claim-expiry\">").append(esc(c.get("expiresAt")))
                        .append("</dd></dl>");
            }
        }
        b.append("<form method=\"post\" action=\"/spaces/activate\"><p>Paste the activation token from the Cisco Spaces ")
                .append("dashboard. It can be used only once.</p><label for=\"token\">Activation token</label>")
                .append("<textarea id=\"token\" name=\"token\" rows=\"6\" required></textarea>")
                .append("<label for=\"appDashboardUrl\">Your app dashboard URL (https)</label>")
                .append("<input id=\"appDashboardUrl\" name=\"appDashboardUrl\" type=\"url\" placeholder=\"https://\">")
                .append("<button id=\"activate\" type=\"submit\">Activate</button></form></body></html>");
        return b.toString();
    }

    private static String esc(Object o) {
        String s = o == null ? "" : o.toString();
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
