package io.vendorlink.sandbox.secutix;

import io.vendorlink.secutix.ws.catalog.CatalogData;
import io.vendorlink.secutix.ws.catalog.CatalogResult;
import io.vendorlink.secutix.ws.catalog.CatalogService;
import io.vendorlink.secutix.ws.catalog.MultilingualValue;
import io.vendorlink.secutix.ws.catalog.Performance;
import io.vendorlink.secutix.ws.catalog.Price;
import io.vendorlink.secutix.ws.catalog.Product;
import io.vendorlink.secutix.ws.catalog.Season;
import io.vendorlink.secutix.ws.catalog.Translation;
import io.vendorlink.secutix.ws.catalog.WebMethodResult;

/** CatalogService fixtures: 64-bit ids, amounts in thousandths, VAT in 1/100000, multilingual names (§11.7). */
final class CatalogSimulator implements CatalogService {
    private final SecutixSandbox sandbox;

    CatalogSimulator(SecutixSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public CatalogResult getCatalog(Integer requestId, String seasonCode, String productCode) {
        return catalog(requestId, seasonCode);
    }

    @Override
    public CatalogResult getCatalogDetailed(Integer requestId, String seasonCode, String productCode) {
        return catalog(requestId, seasonCode);
    }

    @Override
    public WebMethodResult isCatalogServiceAlive() {
        WebMethodResult r = new WebMethodResult();
        status(r, sandbox.faults().fire("alive.fail") ? "failed" : "success", null);
        return r;
    }

    private CatalogResult catalog(Integer requestId, String seasonCode) {
        CatalogResult r = new CatalogResult();
        if (SecutixSandbox.authFailed()) {
            status(r, "auth_failed", "invalid login or password");
            return r;
        }
        var answer = sandbox.async(requestId);
        if (answer.inProgress()) {
            r.setStatusCode("in_progress");
            r.setRequestId(answer.requestId());
            r.setRequestState("RUNNING");
            return r;
        }
        status(r, "success", null);
        r.setRequestId(requestId);
        r.setRequestState("DONE");
        CatalogData data = new CatalogData();
        Season season = new Season();
        season.setId(9_000_000_000_001L);
        season.setCode(seasonCode == null ? "S2026" : seasonCode);
        season.setExternalName(name("Season 2026", "Saison 2026"));
        Product product = new Product();
        product.setId(7_000_000_000_042L);
        product.setCode("CONCERT_A");
        product.setCurrency("EUR");
        product.setExternalName(name("Concert A", "Concert A"));
        Performance perf = new Performance();
        perf.setId(8_000_000_000_007L);
        perf.setCode("PERF_1");
        perf.setStart("2026-12-31T20:00:00Z");
        product.getPerformances().add(perf);
        product.getPrices().add(price(1L, 4000L));
        product.getPrices().add(price(2L, 12345L));
        product.getPrices().add(price(3L, 1L));
        season.getProducts().add(product);
        data.getSeasons().add(season);
        r.setCatalogData(data);
        return r;
    }

    private static Price price(long audience, long amount) {
        Price p = new Price();
        p.setAudienceSubCategoryId(audience);
        p.setSeatCategoryId(5_000_000_000L + audience);
        p.setAmount(amount);
        p.setVatRate(2100L);
        return p;
    }

    private static MultilingualValue name(String en, String fr) {
        MultilingualValue v = new MultilingualValue();
        Translation t1 = new Translation();
        t1.setLocale("en");
        t1.setValue(en);
        Translation t2 = new Translation();
        t2.setLocale("fr");
        t2.setValue(fr);
        v.getTranslations().add(t1);
        v.getTranslations().add(t2);
        return v;
    }

    static void status(WebMethodResult r, String code, String detail) {
        r.setStatusCode(code);
        r.setStatusDetail(detail);
    }
}
