package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** One Azure tag put on every resource created for a VM: {@code tags: [[name: 'team', value: 'ci']]}. */
public final class VmTag extends AbstractDescribableImpl<VmTag> {
    private final String name;
    private final String value;

    @DataBoundConstructor
    public VmTag(@NonNull String name, @NonNull String value) {
        this.name = name;
        this.value = value;
    }

    @NonNull
    public String getName() {
        return name;
    }

    @NonNull
    public String getValue() {
        return value;
    }

    /** Lists a tag in the Snippet Generator. */
    @Extension
    @Symbol("vmTag")
    public static final class DescriptorImpl extends Descriptor<VmTag> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Tag";
        }
    }
}
