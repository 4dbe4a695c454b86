package io.vendorlink.secutix;

import io.vendorlink.core.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configured SecuTix SOAP service ({@code vendorlink.secutix.service.<key>.*}), protocol note §3: the URL is
 * {@code <baseUrl>/<module>/external-remoting/com.secutix.<package>.v<version>.<name>.webservice}; the version is part
 * of the path and of the namespace and is configuration, never a constant (§3 lifecycle, §10).
 *
 * @param key            the short name used in settings and messages ({@code catalog}, {@code accessControl})
 * @param name           SecuTix's service name ({@code CatalogService}); all versions of it are one rate-limit endpoint (§6)
 * @param module         {@code tnseb}, {@code tnci} ...
 * @param javaPackage    {@code service.realtime.catalog}, {@code facade.control} ...
 * @param version        {@code 1_33}
 * @param namespace      the namespace sent on the wire; differs from the WSDL's only while the real one is unknown (§3, §9.4)
 * @param serviceClass   the SEI generated from the WSDL at build time
 * @param aliveOperation {@code is<Service>Alive} (§7: only isCatalogServiceAlive is confirmed by name)
 */
public record SecutixService(String key, String name, String module, String javaPackage, String version,
                             String namespace, Class<?> serviceClass, String aliveOperation) {

    /** The path after the host, e.g. {@code /tnseb/external-remoting/com.secutix.service.realtime.catalog.v1_33.CatalogService.webservice}. */
    public String path() {
        return "/" + module + "/external-remoting/com.secutix." + javaPackage + ".v" + version + "." + name + ".webservice";
    }

    /** The namespace the generated code was built with (the WSDL's targetNamespace). */
    public String wsdlNamespace() {
        jakarta.jws.WebService ws = serviceClass.getAnnotation(jakarta.jws.WebService.class);
        return ws == null ? namespace : ws.targetNamespace();
    }

    /** Reads every service listed in {@code vendorlink.secutix.services}. */
    public static Map<String, SecutixService> configured(Settings secutix) {
        Map<String, SecutixService> out = new LinkedHashMap<>();
        for (String key : secutix.list("services")) {
            Settings s = secutix.child("service." + key);
            Class<?> sei;
            try {
                sei = Class.forName(s.string("serviceClass"), true, SecutixService.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Setting " + s.key("serviceClass") + " = " + s.string("serviceClass")
                        + " is not a class generated from a WSDL in src/main/resources/wsdl (rebuild after adding the WSDL)");
            }
            out.put(key, new SecutixService(key, s.string("name"), s.string("module"), s.string("package"),
                    s.string("version"), s.string("namespace"), sei, s.string("aliveOperation")));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("Setting " + secutix.key("services") + " lists no service");
        }
        return out;
    }

    /** The operation names of the generated interface, for validating inbound calls. */
    public List<String> operations() {
        List<String> ops = new ArrayList<>();
        for (var m : serviceClass.getMethods()) {
            if (m.isAnnotationPresent(jakarta.jws.WebMethod.class)) {
                ops.add(m.getName());
            }
        }
        return ops;
    }
}
