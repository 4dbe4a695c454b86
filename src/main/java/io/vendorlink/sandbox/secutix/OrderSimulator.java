package io.vendorlink.sandbox.secutix;

import io.vendorlink.secutix.ws.order.ExternalOrderService;
import io.vendorlink.secutix.ws.order.Order;
import io.vendorlink.secutix.ws.order.OrderDetailsResult;
import io.vendorlink.secutix.ws.order.OrderItem;
import io.vendorlink.secutix.ws.order.WebMethodResult;

/** ExternalOrderService.getOrderDetails fixtures; order ids above 2^32 exist, unknown orders are a business error. */
final class OrderSimulator implements ExternalOrderService {
    private final SecutixSandbox sandbox;

    OrderSimulator(SecutixSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public OrderDetailsResult getOrderDetails(Long orderId) {
        OrderDetailsResult r = new OrderDetailsResult();
        if (SecutixSandbox.authFailed()) {
            r.setStatusCode("auth_failed");
            return r;
        }
        if (orderId == null || orderId <= 0) {
            r.setStatusCode("order_not_found");
            r.setStatusDetail("no order " + orderId);
            return r;
        }
        r.setStatusCode("success");
        Order o = new Order();
        o.setOrderId(orderId);
        o.setContactId(6_000_000_000_123L);
        o.setCurrency("EUR");
        OrderItem item = new OrderItem();
        item.setItemId(orderId * 10);
        item.setMovementId(orderId * 100);
        item.setProductCode("CONCERT_A");
        item.setQuantity(2);
        item.setAmount(24690L);
        o.getItems().add(item);
        o.setTotalAmount(24690L);
        r.setOrder(o);
        return r;
    }

    @Override
    public WebMethodResult isExternalOrderServiceAlive() {
        WebMethodResult r = new WebMethodResult();
        r.setStatusCode(sandbox.faults().fire("alive.fail") ? "failed" : "success");
        return r;
    }
}
