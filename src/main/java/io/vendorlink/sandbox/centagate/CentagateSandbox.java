package io.vendorlink.sandbox.centagate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vendorlink.centagate.CentagateReturnCodes;
import io.vendorlink.centagate.CentagateSigner;
import io.vendorlink.core.Settings;
import io.vendorlink.core.sandbox.FaultSwitches;
import io.vendorlink.core.sandbox.SandboxExchange;
import io.vendorlink.core.sandbox.SandboxServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful loopback simulator of the CentaGate REST web services (protocol note §12): an app and user registry,
 * {@code auth/authBasic} and {@code auth/logout} with hmac verification, the server (admin) APIs with cenToken
 * verification against every live session of the admin, {@code registerActiveToken}, {@code unregisterActiveToken},
 * {@code registerUserActivate} and the session check, under both {@code /v2/CentagateWS/webresources} and
 * {@code /CentagateWS/webresources}.
 *
 * <p>It answers HTTP 200 with {@code {"code":"<n>","message":"…","object":"<JSON string>"}} by default. Fault switches
 * (admin API {@code /__admin/faults}):
 * <ul>
 *   <li>{@code <operation>.code = <code>} or {@code <code>x<n>}: answer that code (n times, then normally), e.g.
 *       {@code registerActiveToken.code=10003x2}; operations authBasic, logout, registerActiveToken,
 *       unregisterActiveToken, registerUserActivate, sessionCheck;</li>
 *   <li>{@code envelope.numeric}: {@code code} as a JSON number and {@code object} nested;
 *       {@code envelope.errorStatus = <status>}: non-zero codes with that HTTP status;
 *       {@code envelope.truncated} (counted): a truncated JSON body;</li>
 *   <li>{@code session.expireAll} (counted): expire every live session now;
 *       {@code session.expireAfterCalls = n}: expire every live session once, after n verified server calls;</li>
 *   <li>{@code clock.skewSeconds = s}: the simulator's clock runs s seconds ahead (23023 for honest clients);</li>
 *   <li>{@code auth.allowedIps = a,b}: the app's trusted IP list (23020 for loopback callers);
 *       {@code auth.mfaPending}: 23007 with authMethods; {@code auth.emptySecretCode} (counted): an empty secretCode;
 *       {@code auth.strictHmacOrder}, {@code cenToken.strict}: strict verification;
 *       {@code auth.sessionTimeoutMillis = ms}: the sessionTimeout of new sessions;</li>
 *   <li>core: {@code http.html500}, {@code http.reset}, {@code http.slowMillis} (a timeout).</li>
 * </ul>
 * Fixtures (README "CentaGate"): users {@code alice}, {@code bob} (OTP bound, phone +60111111111), {@code carol}
 * (inactive), {@code crUser} (may bind CR OTP), {@code user1..userN}; OTP serials {@code OTP0001..OTP0100}
 * (deactivated), {@code OTP-ACTIVE-1} (29017), {@code OTP-SUSPENDED-1} (29002), {@code OTP-BADCODE-1} (29011),
 * {@code CROTP-1} (6007 unless crUser), {@code OTP-FAIL-1} (6002).
 */
public final class CentagateSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(CentagateSandbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final List<String> PDF_ORDER = List.of("username", "password", "integrationKey", "unixTimestamp",
            "supportFido", "ipAddress", "userAgent", "browserFp");
    static final List<String> CGD_PROSE_ORDER = List.of("username", "password", "userAgent", "integrationKey",
            "supportFido", "browserFp", "unixTimestamp", "ipAddress");
    static final List<String> DEMO_ORDER = List.of("username", "password", "integrationKey", "unixTimestamp",
            "ipAddress", "userAgent", "browserFp");
    static final List<String> LOGOUT_ORDER = List.of("username", "integrationKey", "unixTimestamp", "authToken");

    enum TokenState { DEACTIVATED, ACTIVE, SUSPENDED, BAD_ACTIVATION, FAILING }

    static final class User {
        final String username;
        final String password;
        final int role;
        final boolean active;
        final String firstName;
        final String lastName;
        final String email;
        final boolean crAllowed;
        final String userId;
        volatile String otpSerial;
        final List<String> phones = new ArrayList<>();

        User(String username, String password, int role, boolean active, boolean crAllowed, String email) {
            this.username = username;
            this.password = password;
            this.role = role;
            this.active = active;
            this.firstName = Character.toUpperCase(username.charAt(0)) + username.substring(1);
            this.lastName = "Sandbox";
            this.email = email;
            this.crAllowed = crAllowed;
            this.userId = Integer.toString(1000 + Math.abs(username.hashCode() % 900_000));
        }
    }

    static final class Token {
        final String serial;
        final boolean challengeResponse;
        volatile TokenState state;
        volatile String boundUser;

        Token(String serial, TokenState state, boolean challengeResponse) {
            this.serial = serial;
            this.state = state;
            this.challengeResponse = challengeResponse;
        }
    }

    record Session(String username, String authToken, String secretCode, Instant expiresAt) {
    }

    private final SandboxServer server;
    private final FaultSwitches faults;
    private final Clock baseClock;
    private final String integrationKey;
    private final String secretKey;
    private final List<String> allowedIps;
    private final Duration sessionTimeout;
    private final Duration timestampWindow;
    private final boolean strictHmacOrder;
    private final boolean strictCenToken;
    private final String unknownAppCode;
    private final String invalidSessionCode;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> phoneOwners = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> forcedLeft = new ConcurrentHashMap<>();
    private final AtomicInteger verifiedServerCalls = new AtomicInteger();
    private final AtomicInteger registrations = new AtomicInteger();
    private final Map<String, AtomicInteger> registrationsByUser = new ConcurrentHashMap<>();

    /** @param s settings {@code vendorlink.sandbox.centagate.*} */
    public CentagateSandbox(SandboxServer server, Settings s, Clock clock) {
        this.server = server;
        this.faults = server.faults();
        this.baseClock = clock;
        this.integrationKey = s.string("integrationKey");
        this.secretKey = s.string("secretKey");
        this.allowedIps = s.list("allowedIps");
        this.sessionTimeout = s.duration("sessionTimeout");
        this.timestampWindow = s.duration("timestampWindow");
        this.strictHmacOrder = s.bool("strictHmacOrder");
        this.strictCenToken = s.bool("strictCenToken");
        this.unknownAppCode = s.string("unknownAppCode");
        this.invalidSessionCode = s.string("invalidSessionCode");
        String userPassword = s.string("userPassword");
        add(new User(s.string("adminUsername"), s.string("adminPassword"), s.integer("adminRole"), true, false,
                "admin@sandbox.invalid"));
        add(new User("alice", userPassword, 3, true, false, "alice@sandbox.invalid"));
        add(new User("bob", userPassword, 3, true, false, "bob@sandbox.invalid"));
        add(new User("carol", userPassword, 3, false, false, "carol@sandbox.invalid"));
        add(new User("crUser", userPassword, 3, true, true, "cr@sandbox.invalid"));
        add(new User("plainUser", userPassword, 3, true, false, "plain@sandbox.invalid"));
        for (int i = 1; i <= s.integer("fixtureUsers"); i++) {
            add(new User("user" + i, userPassword, 3, true, false, "user" + i + "@sandbox.invalid"));
        }
        for (int i = 1; i <= 100; i++) {
            String serial = String.format("OTP%04d", i);
            tokens.put(serial, new Token(serial, TokenState.DEACTIVATED, false));
        }
        tokens.put("OTP-ACTIVE-1", new Token("OTP-ACTIVE-1", TokenState.ACTIVE, false));
        tokens.put("OTP-SUSPENDED-1", new Token("OTP-SUSPENDED-1", TokenState.SUSPENDED, false));
        tokens.put("OTP-BADCODE-1", new Token("OTP-BADCODE-1", TokenState.BAD_ACTIVATION, false));
        tokens.put("OTP-FAIL-1", new Token("OTP-FAIL-1", TokenState.FAILING, false));
        tokens.put("CROTP-1", new Token("CROTP-1", TokenState.DEACTIVATED, true));
        Token bobs = new Token("OTP-BOB-1", TokenState.ACTIVE, false);
        bobs.boundUser = "bob";
        tokens.put(bobs.serial, bobs);
        users.get("bob").otpSerial = bobs.serial;
        users.get("bob").phones.add("+60111111111");
        phoneOwners.put("+60111111111", "bob");
        server.handle("/CentagateWS/webresources/", this::dispatch);
        server.handle("/v2/CentagateWS/webresources/", this::dispatch);
    }

    private void add(User u) {
        users.put(u.username, u);
    }

    /** Successful token registrations so far (tests: "registers once"). */
    public int registrations() {
        return registrations.get();
    }

    /**
     * registerActiveToken calls of one user answered with success. Registering the same SMS number for the same user
     * again succeeds without changing anything, so a count above 1 is a repeated call, not a second binding.
     */
    public int registrations(String username) {
        AtomicInteger n = registrationsByUser.get(username);
        return n == null ? 0 : n.get();
    }

    /** Whether the token (an SMS number or an OTP serial) is registered to the user. */
    public boolean hasToken(String username, String tokenSn) {
        User u = users.get(username);
        return u != null && (u.phones.contains(tokenSn) || tokenSn.equals(u.otpSerial));
    }

    /** The OTP serial bound to a user, or null. */
    public String boundOtp(String username) {
        User u = users.get(username);
        return u == null ? null : u.otpSerial;
    }

    public int liveSessions() {
        Instant now = now();
        return (int) sessions.values().stream().filter(s -> s.expiresAt.isAfter(now)).count();
    }

    private Instant now() {
        long skew = Long.parseLong(faults.value("clock.skewSeconds", "0").trim());
        return baseClock.instant().plusSeconds(skew);
    }

    // ---- dispatch ------------------------------------------------------------------------------------------------

    private void dispatch(SandboxExchange ex) throws Exception {
        String path = ex.subPath();
        String[] seg = path.split("/");
        if (path.equals("auth/authBasic") && ex.method().equals("POST")) {
            authBasic(ex);
        } else if (path.equals("auth/logout") && ex.method().equals("POST")) {
            logout(ex);
        } else if (seg.length == 3 && seg[0].equals("token") && seg[1].equals("registerActiveToken") && ex.method().equals("PUT")) {
            serverApi(ex, "registerActiveToken", decode(seg[2]), this::registerActiveToken);
        } else if (seg.length == 3 && seg[0].equals("token") && seg[1].equals("unregisterActiveToken") && ex.method().equals("PUT")) {
            serverApi(ex, "unregisterActiveToken", decode(seg[2]), this::unregisterActiveToken);
        } else if (seg.length == 3 && seg[0].equals("user") && seg[1].equals("registerUserActivate") && ex.method().equals("PUT")) {
            serverApi(ex, "registerUserActivate", decode(seg[2]), this::registerUserActivate);
        } else if (seg.length == 4 && (seg[0].equals("session") && seg[1].equals("check") && ex.method().equals("PUT")
                || seg[0].equals("auth") && seg[1].equals("sessioncheck") && ex.method().equals("GET"))) {
            sessionCheck(ex, decode(seg[2]), seg[3]);
        } else {
            ex.verdict("unknown API " + ex.method() + " " + path);
            answer(ex, "23024", "API not found", null);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    // ---- authentication API ---------------------------------------------------------------------------------------

    private void authBasic(SandboxExchange ex) throws Exception {
        JsonNode b = body(ex);
        if (b == null) {
            ex.verdict("authBasic: body is not a JSON object");
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        if (forced(ex, "authBasic")) {
            return;
        }
        String username = text(b, "username");
        String ik = text(b, "integrationKey");
        String ts = text(b, "unixTimestamp");
        String hmac = text(b, "hmac");
        if (username.isEmpty() || ik.isEmpty() || ts.isEmpty() || hmac.isEmpty() || text(b, "password").isEmpty()) {
            ex.verdict("authBasic: a mandatory field is missing");
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        if (!ik.equals(integrationKey)) {
            ex.verdict("authBasic: unknown integrationKey");
            answer(ex, unknownAppCode, unknownAppCode.equals("10002") ? "Invalid input" : "API not found", null);
            return;
        }
        String caller = ex.http().getRemoteAddress().getAddress().getHostAddress();
        List<String> trusted = faults.isOn("auth.allowedIps") ? List.of(faults.value("auth.allowedIps", "").split(","))
                : allowedIps;
        if (!trusted.isEmpty() && !trusted.contains(caller)) {
            ex.verdict("authBasic: caller " + caller + " not in the app's trusted IP list");
            answer(ex, "23020", "Not from trusted IP list", null);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : PDF_ORDER) {
            fields.put(f, text(b, f));
        }
        boolean strict = strictHmacOrder || faults.isOn("auth.strictHmacOrder");
        Map<String, List<String>> orders = new LinkedHashMap<>();
        orders.put("pdf", PDF_ORDER);
        if (!strict) {
            orders.put("cgd-prose", CGD_PROSE_ORDER);
            orders.put("demo", DEMO_ORDER);
        }
        String matched = null;
        for (var o : orders.entrySet()) {
            if (equal(CentagateSigner.authHmac(secretKey, o.getValue(), fields), hmac)) {
                matched = o.getKey();
                break;
            }
        }
        if (matched == null) {
            ex.verdict("authBasic: 23022 hmac does not verify over any " + (strict ? "configured (strict)" : "known")
                    + " field order " + orders.keySet() + "; canonical (pdf order, password masked) = "
                    + canonicalMasked(PDF_ORDER, fields));
            answer(ex, "23022", "Invalid API signature", null);
            return;
        }
        String canonical = canonicalMasked(orders.get(matched), fields);
        LOG.debug("CentaGate sandbox: client signed canonical string ({} order) {}", matched, canonical);
        long seconds;
        try {
            seconds = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            ex.verdict("authBasic: unixTimestamp is not a number");
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        Instant now = now();
        long drift = Math.abs(now.getEpochSecond() - seconds);
        if (drift > timestampWindow.toSeconds()) {
            ex.verdict("authBasic: 23023 unixTimestamp " + seconds + " is " + drift + " s from server time "
                    + now.getEpochSecond() + " (window " + timestampWindow.toSeconds() + " s)");
            answer(ex, "23023", "Request expired", null);
            return;
        }
        User u = users.get(username);
        if (u == null || !u.password.equals(text(b, "password"))) {
            ex.verdict("authBasic: 23001 invalid credentials for " + username);
            answer(ex, "23001", "Invalid credentials", null);
            return;
        }
        if (!u.active) {
            ex.verdict("authBasic: 22004 user " + username + " is not active");
            answer(ex, "22004", "User not active", null);
            return;
        }
        String authToken = random(16);
        if (faults.fire("auth.mfaPending")) {
            ObjectNode o = JSON.createObjectNode().put("authToken", authToken).put("authMethods", "OTP,SMS");
            ex.verdict("authBasic: 23007 MFA pending");
            answer(ex, "23007", "Authentication is pending", o);
            return;
        }
        String secretCode = faults.fire("auth.emptySecretCode") ? "" : random(16);
        Duration sessionTimeout = faults.isOn("auth.sessionTimeoutMillis")
                ? Duration.ofMillis(Long.parseLong(faults.value("auth.sessionTimeoutMillis", "0").trim()))
                : this.sessionTimeout;
        Session s = new Session(username, authToken, secretCode, now.plus(sessionTimeout));
        sessions.put(authToken, s);
        ObjectNode o = JSON.createObjectNode()
                .put("appId", "sandbox-app").put("userId", u.userId).put("companyId", "1")
                .put("companyName", "Vendorlink Sandbox").put("role", Integer.toString(u.role)).put("timezone", "UTC")
                .put("authToken", authToken).put("useSystemPassword", "false").put("passwordExpired", "false")
                .put("secretCode", secretCode).put("authMethods", "")
                .put("sessionTimeout", Long.toString(sessionTimeout.toMillis())).put("email", u.email)
                .put("groupId", "default").put("lastLogin", Long.toString(now.toEpochMilli()))
                .put("uuid", random(8)).put("userAppId", "").put("userClientId", "").put("userUniqueId", "");
        ex.verdict("authBasic: ok, hmac verified over the " + matched + " order (canonical " + canonical
                + "), session of " + sessionTimeout.toMillis() + " ms");
        answer(ex, "0", "Success", o);
    }

    private void logout(SandboxExchange ex) throws Exception {
        JsonNode b = body(ex);
        if (b == null) {
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        if (forced(ex, "logout")) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : LOGOUT_ORDER) {
            fields.put(f, text(b, f));
        }
        if (!text(b, "integrationKey").equals(integrationKey)
                || !equal(CentagateSigner.authHmac(secretKey, LOGOUT_ORDER, fields), text(b, "hmac"))) {
            ex.verdict("logout: 23022 hmac does not verify over username+integrationKey+unixTimestamp+authToken");
            answer(ex, "23022", "Invalid API signature", null);
            return;
        }
        Session s = sessions.remove(text(b, "authToken"));
        ex.verdict(s == null ? "logout: no such session (already ended)" : "logout: session of " + s.username + " ended");
        answer(ex, "0", "Success", null);
    }

    // ---- server (admin) APIs ---------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface ServerOperation {
        void handle(SandboxExchange ex, JsonNode body, String admin) throws Exception;
    }

    private void serverApi(SandboxExchange ex, String operation, String admin, ServerOperation op) throws Exception {
        JsonNode b = body(ex);
        if (b == null) {
            ex.verdict(operation + ": body is not a JSON object");
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        if (faults.fire("session.expireAll")) {
            expireAll();
        }
        String problem = verifyCenToken(admin, text(b, "username"), text(b, "cenToken"));
        if (problem != null) {
            ex.verdict(operation + ": " + invalidSessionCode + " " + problem);
            answer(ex, invalidSessionCode, "Permission not allowed", null);
            return;
        }
        int n = verifiedServerCalls.incrementAndGet();
        String after = faults.value("session.expireAfterCalls", null);
        if (after != null && n >= Integer.parseInt(after.trim())) {
            faults.clear("session.expireAfterCalls");
            verifiedServerCalls.set(0);
            expireAll(); // takes effect from the next call: this one was verified
        }
        if (forced(ex, operation)) {
            return;
        }
        op.handle(ex, b, admin);
    }

    private void expireAll() {
        Instant past = now().minusMillis(1);
        sessions.replaceAll((k, s) -> new Session(s.username, s.authToken, s.secretCode, past));
        LOG.info("CentaGate sandbox: every live session expired (fault switch)");
    }

    /** Null when the cenToken matches a live session of the admin (§12.4); otherwise why not. */
    private String verifyCenToken(String admin, String username, String cenToken) {
        User a = users.get(admin);
        if (a == null || !a.active || (a.role != 2 && a.role != 4)) {
            return "'" + admin + "' is not an active admin (role 2 or 4)";
        }
        if (cenToken.isEmpty()) {
            return "no cenToken";
        }
        Instant now = now();
        boolean strict = strictCenToken || faults.isOn("cenToken.strict");
        for (Session s : sessions.values()) {
            if (!s.username.equals(admin) || s.secretCode.isEmpty()) {
                continue;
            }
            boolean adminForm = equal(CentagateSigner.hmacSha256Hex(s.secretCode, admin + s.authToken), cenToken);
            boolean postmanForm = !username.isEmpty()
                    && equal(CentagateSigner.hmacSha256Hex(s.secretCode, username + s.authToken), cenToken);
            if (adminForm || postmanForm) {
                if (!s.expiresAt.isAfter(now)) {
                    return "session expired (sessionTimeout passed)";
                }
                if (!adminForm) {
                    return strict ? "cenToken built from username + authToken (Postman form) refused in strict mode"
                            : null;
                }
                return null;
            }
        }
        return "cenToken matches no live session of " + admin;
    }

    private void registerActiveToken(SandboxExchange ex, JsonNode b, String admin) throws Exception {
        String username = text(b, "username");
        String sn = text(b, "tokenSn");
        String type = text(b, "tokenType");
        if (username.isEmpty() || sn.isEmpty() || !(type.equals("1") || type.equals("2"))) {
            ex.verdict("registerActiveToken: 10002 username/tokenSn missing or tokenType not 1 or 2: '" + type + "'");
            answer(ex, "10002", "Invalid input", null);
            return;
        }
        User u = users.get(username);
        if (u == null) {
            reject(ex, "22002", "User not found", "unknown user " + username);
            return;
        }
        synchronized (this) {
            if (type.equals("1")) {
                if (!sn.matches("\\+?[0-9]{6,15}")) {
                    reject(ex, "10002", "Invalid input", "tokenSn " + sn + " is not a mobile number");
                    return;
                }
                String owner = phoneOwners.putIfAbsent(sn, username);
                if (owner != null && !owner.equals(username)) {
                    reject(ex, "29004", "Phone number had been used", sn + " belongs to " + owner);
                    return;
                }
                if (!u.phones.contains(sn)) {
                    u.phones.add(sn);
                }
            } else {
                Token t = tokens.get(sn);
                if (t == null) {
                    reject(ex, "29001", "Token not found", "no OTP token " + sn);
                    return;
                }
                if (u.otpSerial != null) {
                    reject(ex, "29008", "An OTP token already registered to this user", username + " has " + u.otpSerial);
                    return;
                }
                switch (t.state) {
                    case SUSPENDED -> {
                        reject(ex, "29002", "Token not active", sn + " is suspended");
                        return;
                    }
                    case ACTIVE -> {
                        reject(ex, "29017", "Invalid token status", sn + " is not in deactivated status");
                        return;
                    }
                    case BAD_ACTIVATION -> {
                        reject(ex, "29011", "Invalid token activation code", sn + " activation failed");
                        return;
                    }
                    case FAILING -> {
                        reject(ex, "6002", "Token register to user failed", sn + " binding failed");
                        return;
                    }
                    default -> {
                    }
                }
                if (t.challengeResponse && !u.crAllowed) {
                    reject(ex, "6007", "User is not allowed to bind with CR OTP token", username + " may not bind CR " + sn);
                    return;
                }
                t.state = TokenState.ACTIVE;
                t.boundUser = username;
                u.otpSerial = sn;
            }
        }
        registrations.incrementAndGet();
        registrationsByUser.computeIfAbsent(username, k -> new AtomicInteger()).incrementAndGet();
        ObjectNode o = JSON.createObjectNode().put("boundUser", username).put("boundUserFirtName", u.firstName)
                .put("boundUserLastName", u.lastName).put("boundMobileDefault", type.equals("1") ? "1" : "0")
                .put("boundTokenStatus", "1");
        ex.verdict("registerActiveToken: ok, " + (type.equals("1") ? "SMS " : "OTP ") + sn + " bound to " + username);
        answer(ex, "0", "Success", o);
    }

    private void unregisterActiveToken(SandboxExchange ex, JsonNode b, String admin) throws Exception {
        String username = text(b, "username");
        String type = text(b, "type");
        User u = users.get(username);
        if (username.isEmpty() || !Set.of("1", "2", "3", "4").contains(type)) {
            reject(ex, "10002", "Invalid input", "username missing or type not 1..4");
            return;
        }
        if (u == null) {
            reject(ex, "22002", "User not found", "unknown user " + username);
            return;
        }
        synchronized (this) {
            switch (type) {
                case "1" -> {
                    reject(ex, "36000", "Device not found", username + " has no mobile device");
                    return;
                }
                case "2" -> {
                    if (u.phones.isEmpty()) {
                        reject(ex, "29001", "Token not found", username + " has no SMS token");
                        return;
                    }
                    u.phones.forEach(phoneOwners::remove);
                    u.phones.clear();
                }
                case "3" -> {
                    if (u.otpSerial == null) {
                        reject(ex, "29013", "Token doesn't belong to a user", username + " has no OTP token");
                        return;
                    }
                    Token t = tokens.get(u.otpSerial);
                    if (t != null) {
                        t.state = TokenState.DEACTIVATED;
                        t.boundUser = null;
                    }
                    u.otpSerial = null;
                }
                default -> {
                    reject(ex, "29001", "Token not found", username + " has no PKI certificate");
                    return;
                }
            }
        }
        ex.verdict("unregisterActiveToken: ok, type " + type + " of " + username);
        answer(ex, "0", "Success", null);
    }

    private void registerUserActivate(SandboxExchange ex, JsonNode b, String admin) throws Exception {
        String username = text(b, "username");
        String email = text(b, "userEmail");
        if (username.isEmpty() || email.isEmpty() || text(b, "firstName").isEmpty() || text(b, "lastName").isEmpty()) {
            reject(ex, "10002", "Invalid input", "a mandatory user field is missing");
            return;
        }
        String group = text(b, "userGroup");
        if (!group.isEmpty() && !group.equals("default")) {
            reject(ex, "21001", "Group not found", "no group " + group);
            return;
        }
        synchronized (this) {
            if (users.containsKey(username)) {
                reject(ex, "22025", "Duplicate username", username + " exists");
                return;
            }
            if (users.values().stream().anyMatch(u -> u.email.equalsIgnoreCase(email))) {
                reject(ex, "22001", "Duplicate user email", email + " is used");
                return;
            }
            String roles = text(b, "roles");
            User u = new User(username, random(8), roles.isEmpty() ? 3 : Integer.parseInt(roles), true, false, email);
            add(u);
            ex.verdict("registerUserActivate: ok, user " + username + " id " + u.userId);
            answer(ex, "0", "Success", JSON.getNodeFactory().textNode(u.userId));
        }
    }

    /** Session check: cenToken = HMAC(secretCode, username + authToken) of the user's own session (§6.3). */
    private void sessionCheck(SandboxExchange ex, String username, String cenToken) throws Exception {
        if (forced(ex, "sessionCheck")) {
            return;
        }
        Instant now = now();
        for (Session s : sessions.values()) {
            if (s.username.equals(username) && !s.secretCode.isEmpty()
                    && equal(CentagateSigner.hmacSha256Hex(s.secretCode, username + s.authToken), cenToken)) {
                boolean live = s.expiresAt.isAfter(now);
                ex.verdict("sessionCheck: session of " + username + (live ? " live" : " expired"));
                answer(ex, live ? "0" : invalidSessionCode, live ? "Success" : "Permission not allowed", null);
                return;
            }
        }
        ex.verdict("sessionCheck: no session matches");
        answer(ex, invalidSessionCode, "Permission not allowed", null);
    }

    // ---- answers --------------------------------------------------------------------------------------------------

    private void reject(SandboxExchange ex, String code, String message, String why) throws Exception {
        ex.verdict(code + " " + why);
        answer(ex, code, message, null);
    }

    /** A forced code ({@code <operation>.code = <code>[x<n>]}); true if it answered. */
    private boolean forced(SandboxExchange ex, String operation) throws Exception {
        String name = operation + ".code";
        String v = faults.value(name, null);
        if (v == null) {
            return false;
        }
        String code = v;
        int x = v.indexOf('x');
        if (x > 0) {
            code = v.substring(0, x);
            AtomicInteger left = forcedLeft.computeIfAbsent(name, k -> new AtomicInteger(Integer.parseInt(v.substring(x + 1))));
            if (left.getAndDecrement() <= 0) {
                faults.clear(name);
                forcedLeft.remove(name);
                return false;
            }
        }
        ex.verdict(operation + ": forced code " + code + " (fault switch)");
        answer(ex, code, CentagateReturnCodes.entry(code).meaning(), null);
        return true;
    }

    private void answer(SandboxExchange ex, String code, String message, JsonNode object) throws Exception {
        boolean numeric = faults.isOn("envelope.numeric");
        ObjectNode env = JSON.createObjectNode();
        if (numeric) {
            env.put("code", Integer.parseInt(code));
        } else {
            env.put("code", code);
        }
        env.put("message", message);
        if (object == null) {
            if (numeric) {
                env.putNull("object");
            } else {
                env.put("object", "");
            }
        } else if (numeric || object.isTextual()) {
            env.set("object", object);
        } else {
            env.put("object", JSON.writeValueAsString(object));
        }
        String text = JSON.writeValueAsString(env);
        int status = 200;
        if (!code.equals("0") && faults.isOn("envelope.errorStatus")) {
            status = Integer.parseInt(faults.value("envelope.errorStatus", "500").trim());
        }
        if (faults.fire("envelope.truncated")) {
            text = text.substring(0, text.length() / 2);
        }
        ex.respond(status, "application/json", text);
    }

    private static JsonNode body(SandboxExchange ex) {
        try {
            JsonNode n = JSON.readTree(ex.body());
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** A field as text, numbers included (the simulator accepts "1" or 1, §4). */
    private static String text(JsonNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
    }

    private static boolean equal(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonicalMasked(List<String> order, Map<String, String> fields) {
        Map<String, String> masked = new LinkedHashMap<>(fields);
        masked.put("password", "<password>");
        return CentagateSigner.canonicalString(order, masked);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public SandboxServer server() {
        return server;
    }
}
