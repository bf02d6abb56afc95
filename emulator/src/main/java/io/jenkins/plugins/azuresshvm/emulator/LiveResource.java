package io.jenkins.plugins.azuresshvm.emulator;

import java.util.Map;

/**
 * A resource that exists in the emulator.
 *
 * @param type the ARM type, e.g. {@code Microsoft.Compute/virtualMachines}
 * @param id its ARM id
 * @param tags its tags
 */
public record LiveResource(String type, String id, Map<String, String> tags) {
    public LiveResource {
        tags = Map.copyOf(tags);
    }
}
