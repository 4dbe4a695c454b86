package io.vendorlink.secutix;

import io.vendorlink.core.security.Secret;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPHeader;
import jakarta.xml.soap.SOAPMessage;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.interceptor.Interceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WS-Security UsernameToken for every SecuTix call (protocol note §2), built by WSS4J, never by hand. Two styles,
 * {@code vendorlink.secutix.wsse.style}:
 * <ul>
 *   <li>{@code howto} (default, the [HOWTO] form): {@code Password Type="...#PasswordText"}, {@code wsu:Id} on the
 *       token, {@code mustUnderstand="1"} on {@code wsse:Security};</li>
 *   <li>{@code minimal} (the [SEED] example): the same token with the {@code Type} attribute, the {@code wsu:Id} and
 *       {@code mustUnderstand} removed after WSS4J built it.</li>
 * </ul>
 * No nonce and no created timestamp: plain-text password over TLS only (§2 decision). The password is handed to WSS4J
 * through a callback and never appears in a log line or in this object's state as text.
 */
public final class UsernameTokenConfigurer {
    public enum Style { HOWTO, MINIMAL }

    private static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

    private UsernameTokenConfigurer() {
    }

    /** The out interceptors to add to a client endpoint. */
    public static List<Interceptor<? extends Message>> interceptors(String username, Secret password, Style style) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.USERNAME_TOKEN);
        p.put(ConfigurationConstants.USER, username);
        p.put(ConfigurationConstants.PASSWORD_TYPE, "PasswordText");
        p.put(ConfigurationConstants.MUST_UNDERSTAND, style == Style.HOWTO ? "true" : "false");
        p.put(ConfigurationConstants.ADD_USERNAMETOKEN_NONCE, "false");
        p.put(ConfigurationConstants.ADD_USERNAMETOKEN_CREATED, "false");
        p.put(ConfigurationConstants.PW_CALLBACK_REF, (CallbackHandler) callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof WSPasswordCallback pc) {
                    pc.setPassword(password.reveal());
                }
            }
        });
        WSS4JOutInterceptor wss = new WSS4JOutInterceptor(p);
        return style == Style.HOWTO ? List.of(wss) : List.of(wss, new MinimalForm());
    }

    /** Rewrites WSS4J's token into the [SEED] example's form: no Type, no wsu:Id, no mustUnderstand. */
    static final class MinimalForm extends AbstractSoapInterceptor {
        MinimalForm() {
            super(Phase.POST_PROTOCOL);
            addAfter("org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor$WSS4JOutInterceptorInternal");
        }

        @Override
        public void handleMessage(SoapMessage message) throws Fault {
            SOAPMessage saaj = message.getContent(SOAPMessage.class);
            if (saaj == null) {
                return;
            }
            try {
                SOAPHeader header = saaj.getSOAPHeader();
                if (header == null) {
                    return;
                }
                NodeList security = header.getElementsByTagNameNS(WSSE, "Security");
                for (int i = 0; i < security.getLength(); i++) {
                    Element sec = (Element) security.item(i);
                    for (int a = sec.getAttributes().getLength() - 1; a >= 0; a--) {
                        Node attr = sec.getAttributes().item(a);
                        if ("mustUnderstand".equals(attr.getLocalName())) {
                            sec.removeAttributeNode((org.w3c.dom.Attr) attr);
                        }
                    }
                }
                NodeList tokens = header.getElementsByTagNameNS(WSSE, "UsernameToken");
                for (int i = 0; i < tokens.getLength(); i++) {
                    ((Element) tokens.item(i)).removeAttributeNS(WSU, "Id");
                }
                NodeList passwords = header.getElementsByTagNameNS(WSSE, "Password");
                for (int i = 0; i < passwords.getLength(); i++) {
                    ((Element) passwords.item(i)).removeAttribute("Type");
                }
            } catch (SOAPException e) {
                throw new Fault(e);
            }
        }
    }
}
