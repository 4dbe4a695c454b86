package io.vendorlink.secutix;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * SecuTix results as the connector's JSON output (protocol note §7): ids stay 64-bit integers, and every field named
 * in {@code vendorlink.secutix.money.fields} (amounts in <b>thousandths</b> of the currency unit: 4000 = 4 EUR) becomes
 * an exact decimal ({@link #amount(long)}). Pagination cursors stay strings, untouched.
 */
public final class SecutixJson {
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    private final Set<String> moneyFields;

    public SecutixJson(Set<String> moneyFields) {
        this.moneyFields = Set.copyOf(moneyFields);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** 4000 thousandths = 4.000: exact, never through a double. */
    public static BigDecimal amount(long thousandths) {
        return BigDecimal.valueOf(thousandths, 3);
    }

    /** The result bean as a JSON tree with amounts converted. */
    public JsonNode tree(Object result) {
        JsonNode node = mapper.valueToTree(result);
        convert(node);
        return node;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write SecuTix result as JSON", e);
        }
    }

    private void convert(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (moneyFields.contains(e.getKey()) && e.getValue().isIntegralNumber()) {
                    e.setValue(DecimalNode.valueOf(amount(e.getValue().longValue())));
                } else {
                    convert(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode arr) {
            arr.forEach(this::convert);
        }
    }
}
