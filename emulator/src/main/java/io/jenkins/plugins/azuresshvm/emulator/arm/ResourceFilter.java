package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $filter} of a generic resource list, as far as the emulator understands OData: clauses
 * {@code resourceType eq '…'}, {@code tagName eq '…'} and {@code tagValue eq '…'} (the last only with a tag name)
 * joined by {@code and}. Like ARM, it compares resource types and tag names without case, tag values exactly.
 * Anything else is a 400, never ignored.
 */
record ResourceFilter(String resourceType, String tagName, String tagValue) {

    private static final ResourceFilter NONE = new ResourceFilter(null, null, null);

    /** {@code field eq 'value'}, a quote inside the value doubled as OData writes it. */
    private static final Pattern CLAUSE = Pattern.compile("\\s*(\\w+)\\s+eq\\s+'((?:[^']|'')*)'\\s*");
    private static final Pattern AND = Pattern.compile("(?i)\\s+and\\s+");

    static ResourceFilter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return NONE;
        }
        Map<String, String> clauses = new LinkedHashMap<>();
        for (String clause : splitAnd(filter)) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw unsupported(filter, "'" + clause.strip() + "' is not a clause FIELD eq 'VALUE'");
            }
            String field = m.group(1).toLowerCase(Locale.ROOT);
            if (!field.equals("resourcetype") && !field.equals("tagname") && !field.equals("tagvalue")) {
                throw unsupported(filter, "the emulator filters only by resourceType, tagName and tagValue, not by "
                        + m.group(1));
            }
            if (clauses.put(field, m.group(2).replace("''", "'")) != null) {
                throw unsupported(filter, m.group(1) + " appears twice");
            }
        }
        if (clauses.containsKey("tagvalue") && !clauses.containsKey("tagname")) {
            throw unsupported(filter, "tagValue needs a tagName");
        }
        return new ResourceFilter(clauses.get("resourcetype"), clauses.get("tagname"), clauses.get("tagvalue"));
    }

    /** Splits at {@code and} outside quoted values. */
    private static List<String> splitAnd(String filter) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted) {
                Matcher and = AND.matcher(filter).region(i, filter.length());
                if (and.lookingAt()) {
                    parts.add(current.toString());
                    current.setLength(0);
                    i = and.end() - 1;
                    continue;
                }
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    static ArmError unsupported(String filter, String why) {
        return new ArmError(400, "InvalidFilterInQueryString", "The $filter '" + filter + "' is not supported: "
                + why + ".", "$filter");
    }

    boolean matches(ObjectNode resource) {
        if (resourceType != null && !resourceType.equalsIgnoreCase(resource.get("type").asText())) {
            return false;
        }
        if (tagName == null) {
            return true;
        }
        Iterator<Map.Entry<String, JsonNode>> tags = resource.path("tags").fields();
        while (tags.hasNext()) {
            Map.Entry<String, JsonNode> tag = tags.next();
            if (tag.getKey().equalsIgnoreCase(tagName)
                    && (tagValue == null || tagValue.equals(tag.getValue().asText()))) {
                return true;
            }
        }
        return false;
    }
}
