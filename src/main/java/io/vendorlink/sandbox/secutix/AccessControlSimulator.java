package io.vendorlink.sandbox.secutix;

import io.vendorlink.secutix.ws.accesscontrol.AccessControlListData;
import io.vendorlink.secutix.ws.accesscontrol.AccessControlListItem;
import io.vendorlink.secutix.ws.accesscontrol.AccessControlListResult;
import io.vendorlink.secutix.ws.accesscontrol.ExternalAccessControlService;
import io.vendorlink.secutix.ws.accesscontrol.WebMethodResult;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * exportList fixtures (§8, §11.8): {@code accessControl.tickets} tickets; every third one was cancelled and re-issued,
 * so in a GREY list the valid ticket is followed by its invalid counterpart and the pair counts as one: GREY pages can
 * hold more items than {@code nbMaxResults}. {@code paginationEnd} is an opaque string; null after the last page.
 */
final class AccessControlSimulator implements ExternalAccessControlService {
    private final SecutixSandbox sandbox;

    AccessControlSimulator(SecutixSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public AccessControlListResult exportList(Integer requestId, String listType, String ticketType, String seasonCode,
                                              List<String> productCodes, List<String> performanceCodes,
                                              String paginationStart, Long nbMaxResults) {
        AccessControlListResult r = new AccessControlListResult();
        if (SecutixSandbox.authFailed()) {
            r.setStatusCode("auth_failed");
            return r;
        }
        String type = listType == null ? "WHITE" : listType;
        if (!List.of("WHITE", "BLACK", "GREY").contains(type)) {
            r.setStatusCode("invalid_parameter");
            r.setStatusDetail("listType must be WHITE, BLACK or GREY");
            return r;
        }
        int total = sandbox.settings().integer("accessControl.tickets");
        int start = paginationStart == null ? 0 : decode(paginationStart);
        long max = nbMaxResults == null || nbMaxResults <= 0 ? 100 : nbMaxResults;
        AccessControlListData data = new AccessControlListData();
        int counted = 0;
        int i = start;
        for (; i < total && counted < max; i++) {
            boolean reissued = i % 3 == 2;
            long ticketId = 4_294_967_296L + i; // above 2^32: ids are 64-bit (§7)
            if (type.equals("WHITE") || type.equals("GREY")) {
                data.getAccessControlListItems().add(item(ticketId, "VALID", i));
            }
            if (reissued && (type.equals("BLACK") || type.equals("GREY"))) {
                data.getAccessControlListItems().add(item(ticketId + 1_000_000, "CANCELLED", i));
            }
            counted++; // a valid ticket and its invalid counterpart count as one in GREY (§8)
        }
        data.setPaginationEnd(i >= total ? null : encode(i));
        r.setAccessControlListData(data);
        r.setStatusCode("success");
        return r;
    }

    @Override
    public WebMethodResult isExternalAccessControlServiceAlive() {
        WebMethodResult r = new WebMethodResult();
        r.setStatusCode(sandbox.faults().fire("alive.fail") ? "failed" : "success");
        return r;
    }

    private static AccessControlListItem item(long ticketId, String state, int i) {
        AccessControlListItem it = new AccessControlListItem();
        it.setTicketId(ticketId);
        it.setBarcode(String.format("BC%012d", ticketId));
        it.setState(state);
        it.setTicketMedium(i % 2 == 0 ? "E_TICKET" : "MOBILE");
        it.setProductCode("CONCERT_A");
        it.setPerformanceCode("PERF_1");
        it.setAmount(4000L);
        return it;
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("cursor:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        return Integer.parseInt(s.substring("cursor:".length()));
    }
}
