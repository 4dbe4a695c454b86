package io.vendorlink.secutix;

import java.lang.reflect.Method;

/**
 * The technical status every SecuTix result carries (protocol note §4, [SEED] §5.1 {@code WebMethodResult}):
 * {@code statusCode}, {@code statusDetail} and {@code requestId} (an Integer, §7). Read by bean getters rather than
 * through a generated base class, because each service's WSDL has its own namespace (hence its own generated
 * {@code WebMethodResult}) and SecuTix's real result type names are UNKNOWN (§4).
 */
public record ResultEnvelope(String statusCode, String statusDetail, Integer requestId) {
    public static final String SUCCESS = "success";
    public static final String IN_PROGRESS = "in_progress";

    public static ResultEnvelope of(Object result) {
        if (result == null) {
            return new ResultEnvelope(null, "empty answer (no result element)", null);
        }
        return new ResultEnvelope(read(result, "getStatusCode", String.class), read(result, "getStatusDetail", String.class),
                read(result, "getRequestId", Integer.class));
    }

    public boolean success() {
        return SUCCESS.equals(statusCode);
    }

    public boolean inProgress() {
        return IN_PROGRESS.equals(statusCode);
    }

    private static <T> T read(Object bean, String getter, Class<T> type) {
        try {
            Method m = bean.getClass().getMethod(getter);
            Object v = m.invoke(bean);
            return type.isInstance(v) ? type.cast(v) : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
