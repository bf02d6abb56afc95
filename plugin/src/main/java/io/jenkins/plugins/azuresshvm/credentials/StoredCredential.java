package io.jenkins.plugins.azuresshvm.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ModelObject;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponses;

/**
 * A generated key credential where it is stored: the store of one context (Jenkins or an item — not the stores of
 * its parents), the domain, and the credential itself. What the regenerate action replaces.
 */
record StoredCredential(CredentialsStore store, Domain domain, GeneratedSSHUserPrivateKeyImpl credential) {

    /**
     * The generated key credential {@code id} stored in the context's own stores, {@code null} when there is none.
     *
     * @param item the context, {@code null} for Jenkins itself
     * @throws org.kohsuke.stapler.HttpResponses.HttpResponseException 409 when several stores there hold that id
     */
    @CheckForNull
    static StoredCredential find(@CheckForNull Item item, @CheckForNull String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        ModelObject context = item == null ? Jenkins.get() : item;
        StoredCredential found = null;
        for (CredentialsStore store : CredentialsProvider.lookupStores(context)) {
            if (store.getContext() != context) {
                continue;
            }
            for (Domain domain : store.getDomains()) {
                for (Credentials credentials : store.getCredentials(domain)) {
                    if (credentials instanceof GeneratedSSHUserPrivateKeyImpl generated && generated.getId().equals(id)) {
                        if (found != null) {
                            throw HttpResponses.errorWithoutStack(409, "several stores here hold a credential '" + id
                                    + "'; regenerate it where it is stored through its form");
                        }
                        found = new StoredCredential(store, domain, generated);
                    }
                }
            }
        }
        return found;
    }

    /** The credential's page, relative to the root URL (the store's overview for stores without an action). */
    @NonNull
    String pageUrl() {
        String base = contextUrl(store.getContext());
        CredentialsStoreAction action = store.getStoreAction();
        if (base == null || action == null) {
            return (base == null ? "" : base) + "credentials/";
        }
        return base + "credentials/store/" + action.getUrlName() + "/" + domain.getUrl() + "credential/"
                + Util.rawEncode(credential.getId()) + "/";
    }

    /** The URL of a store's context relative to the root URL: empty for Jenkins; {@code null} for users' stores. */
    @CheckForNull
    static String contextUrl(@NonNull ModelObject context) {
        if (context instanceof Jenkins) {
            return "";
        }
        return context instanceof Item item ? item.getUrl() : null;
    }
}
