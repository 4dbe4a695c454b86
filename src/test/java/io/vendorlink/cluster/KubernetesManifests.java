package io.vendorlink.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately small Kustomize renderer for the offline manifest tests: it understands exactly the features
 * {@code k8s/} uses (resources, replicas, images, configMapGenerator with files/literals and behavior merge, and
 * strategic-merge patches by kind and name) and fails on anything else, so a new feature in a kustomization cannot be
 * silently ignored. Generated ConfigMaps keep their plain names (Kustomize appends a content hash and rewrites the
 * references; that is the only difference from {@code kubectl kustomize}, whose output the tests also check when
 * kubectl is installed). Strategic merge: maps merge deeply; lists of containers, env, ports and volumes merge by
 * {@code name}, volumeMounts by {@code mountPath}; any other list is replaced, as in Kubernetes.
 */
final class KubernetesManifests {
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "replicas", "images",
            "configMapGenerator", "patches");
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "ports", "name", "volumes", "name", "volumeMounts", "mountPath");

    private KubernetesManifests() {
    }

    /** The objects {@code kubectl kustomize <dir>} would produce, as fabric8 model objects. */
    static List<HasMetadata> render(Path dir) {
        List<HasMetadata> out = new ArrayList<>();
        for (Map<String, Object> raw : renderRaw(dir)) {
            out.add(Serialization.unmarshal(Serialization.asJson(raw), HasMetadata.class));
        }
        return out;
    }

    /** Parses a multi-document YAML stream (e.g. kubectl kustomize output) into model objects. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) {
                out.add(Serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> renderRaw(Path dir) {
        Map<String, Object> k = yaml(dir.resolve("kustomization.yaml"));
        for (String key : k.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalStateException(dir + "/kustomization.yaml uses '" + key + "', which this renderer does not know");
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String r : (List<String>) k.getOrDefault("resources", List.of())) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(renderRaw(p));
            } else {
                objects.add(yaml(p));
            }
        }
        for (Map<String, Object> gen : (List<Map<String, Object>>) k.getOrDefault("configMapGenerator", List.of())) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (String f : (List<String>) gen.getOrDefault("files", List.of())) {
                data.put(Path.of(f).getFileName().toString(), read(dir.resolve(f)));
            }
            for (String literal : (List<String>) gen.getOrDefault("literals", List.of())) {
                int eq = literal.indexOf('=');
                data.put(literal.substring(0, eq), literal.substring(eq + 1));
            }
            String name = (String) gen.get("name");
            String behavior = (String) gen.getOrDefault("behavior", "create");
            Map<String, Object> existing = find(objects, "ConfigMap", name);
            switch (behavior) {
                case "create" -> {
                    if (existing != null) {
                        throw new IllegalStateException("ConfigMap " + name + " generated twice");
                    }
                    Map<String, Object> cm = new LinkedHashMap<>();
                    cm.put("apiVersion", "v1");
                    cm.put("kind", "ConfigMap");
                    cm.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
                    cm.put("data", data);
                    objects.add(cm);
                }
                case "merge" -> ((Map<String, Object>) required(existing, "ConfigMap", name).get("data")).putAll(data);
                case "replace" -> required(existing, "ConfigMap", name).put("data", data);
                default -> throw new IllegalStateException("unknown generator behavior " + behavior);
            }
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) k.getOrDefault("replicas", List.of())) {
            Map<String, Object> d = required(find(objects, "Deployment", (String) r.get("name")), "Deployment", (String) r.get("name"));
            ((Map<String, Object>) d.get("spec")).put("replicas", r.get("count"));
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            Map<String, Object> p = yaml(dir.resolve((String) patch.get("path")));
            String name = (String) ((Map<String, Object>) p.get("metadata")).get("name");
            Map<String, Object> target = required(find(objects, (String) p.get("kind"), name), (String) p.get("kind"), name);
            merge(target, p);
        }
        for (Map<String, Object> image : (List<Map<String, Object>>) k.getOrDefault("images", List.of())) {
            for (Map<String, Object> o : objects) {
                if ("Deployment".equals(o.get("kind"))) {
                    for (Map<String, Object> c : containers(o)) {
                        String current = (String) c.get("image");
                        String bare = current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
                        if (bare.equals(image.get("name"))) {
                            c.put("image", image.getOrDefault("newName", bare) + ":" + image.getOrDefault("newTag", "latest"));
                        }
                    }
                }
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
    }

    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object current = target.get(e.getKey());
            if (current instanceof Map && e.getValue() instanceof Map) {
                merge((Map<String, Object>) current, (Map<String, Object>) e.getValue());
            } else if (current instanceof List && e.getValue() instanceof List && MERGE_KEYS.containsKey(e.getKey())) {
                String key = MERGE_KEYS.get(e.getKey());
                List<Object> merged = new ArrayList<>((List<Object>) current);
                for (Object item : (List<Object>) e.getValue()) {
                    Map<String, Object> patchItem = (Map<String, Object>) item;
                    Map<String, Object> match = null;
                    for (Object m : merged) {
                        if (patchItem.get(key).equals(((Map<String, Object>) m).get(key))) {
                            match = (Map<String, Object>) m;
                        }
                    }
                    if (match == null) {
                        merged.add(patchItem);
                    } else {
                        merge(match, patchItem);
                    }
                }
                target.put(e.getKey(), merged);
            } else {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        for (Map<String, Object> o : objects) {
            if (kind.equals(o.get("kind")) && name.equals(((Map<String, Object>) o.get("metadata")).get("name"))) {
                return o;
            }
        }
        return null;
    }

    private static Map<String, Object> required(Map<String, Object> o, String kind, String name) {
        if (o == null) {
            throw new IllegalStateException("no " + kind + " named " + name + " to patch");
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return Serialization.unmarshal(read(file), LinkedHashMap.class);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
