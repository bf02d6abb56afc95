package io.jenkins.plugins.azuresshvm.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BaseSSHUser;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsSelectHelper;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.ContextInPath;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ModelObject;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.azuresshvm.keys.EncodedKeyPair;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.security.FIPS140;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.GET;
import org.kohsuke.stapler.verb.POST;

/**
 * A {@link GeneratedSSHUserPrivateKey} kept in a credentials store. The form has no private-key field: the pair is
 * generated on the controller when the credential is first saved, and its private key is stored only as a {@link
 * Secret}. Saving it again keeps the pair (re-encrypting it when the passphrase changes); a new pair comes only from
 * the descriptor's confirmed {@code regenerate} action. Configuration as Code declares it without key material and
 * gets the key already stored under that id, or a new one when there is none; its export carries the private key as a {@link Secret}, so it imports back to
 * the same key.
 */
public final class GeneratedSSHUserPrivateKeyImpl extends BaseSSHUser implements GeneratedSSHUserPrivateKey {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(GeneratedSSHUserPrivateKeyImpl.class.getName());
    /** ssh-credentials' minimum passphrase length in FIPS-140 mode. */
    static final int FIPS_MIN_PASSPHRASE_LENGTH = 14;

    private GeneratedKeyType keyType;
    @CheckForNull
    private Secret passphrase;
    @CheckForNull
    private Secret privateKeySecret;

    private transient volatile SshPublicKey publicKey;

    /**
     * A credential whose key pair is generated (or kept) once it is fully configured, see {@link #keepOrGenerateKey()}.
     *
     * @param keyType {@code null} for {@link GeneratedKeyType#DEFAULT}
     */
    @DataBoundConstructor
    public GeneratedSSHUserPrivateKeyImpl(@CheckForNull CredentialsScope scope, @CheckForNull String id,
            @CheckForNull String description, @CheckForNull String username, @CheckForNull GeneratedKeyType keyType) {
        super(scope, id, username, description);
        this.keyType = keyType == null ? GeneratedKeyType.DEFAULT : keyType;
    }

    /** The passphrase protecting the stored private key; empty means none. */
    @DataBoundSetter
    public void setPassphrase(@CheckForNull Secret passphrase) {
        this.passphrase = passphrase == null || passphrase.getPlainText().isEmpty() ? null : passphrase;
    }

    /**
     * Key material for Configuration as Code: the private key file's text (PEM or OpenSSH, encrypted with {@link
     * #getPassphrase()} when there is one), as exported. Absent from the form.
     */
    @DataBoundSetter
    public void setPrivateKeySecret(@CheckForNull Secret privateKeySecret) {
        this.privateKeySecret = privateKeySecret == null || privateKeySecret.getPlainText().isBlank()
                ? null : privateKeySecret;
        this.publicKey = null;
    }

    /**
     * Completes the credential after the form or Configuration as Code has set every field: adopts the key material
     * it was given, keeps the pair of the credential it replaces, or generates a new pair.
     *
     * @throws IllegalArgumentException when the settings break FIPS-140 rules or the given key material is unusable
     */
    @PostConstruct
    public void keepOrGenerateKey() {
        if (privateKeySecret != null) {
            adoptGivenKey();
        } else {
            GeneratedSSHUserPrivateKeyImpl previous = previousVersion();
            if (previous != null && previous.privateKeySecret != null) {
                keep(previous);
            } else {
                generate();
            }
        }
    }

    /**
     * This credential with a newly generated pair of the same type and passphrase, everything else unchanged: what
     * replaces it in its store when regenerating. VMs holding the old public key will refuse the new one.
     */
    @NonNull
    GeneratedSSHUserPrivateKeyImpl regenerated() {
        GeneratedSSHUserPrivateKeyImpl replacement =
                new GeneratedSSHUserPrivateKeyImpl(getScope(), getId(), getDescription(), getUsername(), keyType);
        replacement.setUsernameSecret(isUsernameSecret());
        replacement.passphrase = passphrase;
        replacement.generate();
        return replacement;
    }

    private void generate() {
        checkFips();
        EncodedKeyPair pair = EncodedKeyPair.generate(new SshKeyGenerator(), keyType.spec(), passphraseChars(passphrase));
        store(pair);
        LOGGER.log(Level.INFO, "Generated a {0} key pair for {1}: {2}",
                new Object[] {keyType.getDisplayName(), source(), pair.publicKey().fingerprint()});
    }

    private void adoptGivenKey() {
        EncodedKeyPair pair = decode(privateKeySecret, passphrase);
        GeneratedKeyType actual;
        try {
            actual = GeneratedKeyType.of(pair.publicKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source() + ": privateKeySecret holds " + e.getMessage(), e);
        }
        if (actual != keyType) {
            throw new IllegalArgumentException(source() + ": privateKeySecret holds a " + actual.getDisplayName()
                    + " key but keyType is " + keyType.getDisplayName() + " (" + keyType.name() + ")");
        }
        checkFips();
        publicKey = pair.publicKey();
    }

    private void keep(GeneratedSSHUserPrivateKeyImpl previous) {
        if (previous.keyType != keyType) {
            LOGGER.log(Level.WARNING, "{0} keeps its {1} key; key type {2} applies only to a regenerated pair",
                    new Object[] {source(), previous.keyType.getDisplayName(), keyType.getDisplayName()});
        }
        keyType = previous.keyType;
        checkFips();
        EncodedKeyPair pair = decode(previous.privateKeySecret, previous.passphrase);
        String before = Secret.toString(previous.passphrase);
        if (!before.equals(Secret.toString(passphrase))) {
            try {
                pair = pair.withPassphrase(source(), passphraseChars(previous.passphrase), passphraseChars(passphrase));
            } catch (KeyFormatException e) {
                throw new IllegalStateException(source() + ": cannot re-encrypt the stored private key: "
                        + e.getMessage(), e);
            }
        }
        store(pair);
    }

    private void checkFips() {
        String problem = fipsProblem(keyType, passphrase);
        if (problem != null) {
            throw new IllegalArgumentException(source() + ": " + problem);
        }
    }

    private void store(EncodedKeyPair pair) {
        privateKeySecret = Secret.fromString(pair.privateKeyText());
        publicKey = pair.publicKey();
    }

    /**
     * The stored credential this one replaces, whose key pair it keeps: the credential being updated through the
     * form, or, outside the credentials forms (Configuration as Code at startup or on reload), the Jenkins-level
     * credential with the same id when an administrator applies it. A credential created through a form never takes
     * another's key.
     */
    @CheckForNull
    private GeneratedSSHUserPrivateKeyImpl previousVersion() {
        StaplerRequest2 request = Stapler.getCurrentRequest2();
        if (request != null) {
            CredentialsStoreAction.CredentialsWrapper updated =
                    request.findAncestorObject(CredentialsStoreAction.CredentialsWrapper.class);
            if (updated != null) {
                return updated.getCredentials() instanceof GeneratedSSHUserPrivateKeyImpl previous ? previous : null;
            }
            if (request.findAncestorObject(CredentialsStoreAction.DomainWrapper.class) != null
                    || request.findAncestorObject(CredentialsSelectHelper.class) != null) {
                return null;
            }
        }
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return null;
        }
        for (List<Credentials> credentials : SystemCredentialsProvider.getInstance().getDomainCredentialsMap().values()) {
            for (Credentials c : credentials) {
                if (c instanceof GeneratedSSHUserPrivateKeyImpl stored && stored.getId().equals(getId())) {
                    return stored;
                }
            }
        }
        return null;
    }

    @NonNull
    @Override
    public GeneratedKeyType getKeyType() {
        return keyType;
    }

    @CheckForNull
    @Override
    public Secret getPassphrase() {
        return passphrase;
    }

    /** The private key file's text as a {@link Secret}; {@code null} only before the pair is generated. */
    @CheckForNull
    public Secret getPrivateKeySecret() {
        return privateKeySecret;
    }

    @NonNull
    @Override
    public List<String> getPrivateKeys() {
        if (privateKeySecret == null) {
            return List.of();
        }
        String text = privateKeySecret.getPlainText();
        return List.of(text.endsWith("\n") ? text : text + "\n");
    }

    @CheckForNull
    @Override
    public String getPublicKeyLine() {
        SshPublicKey key = publicKey();
        return key == null ? null : key.withComment(getId()).toLine();
    }

    @CheckForNull
    @Override
    public String getFingerprint() {
        SshPublicKey key = publicKey();
        return key == null ? null : key.fingerprint().toString();
    }

    @CheckForNull
    private SshPublicKey publicKey() {
        SshPublicKey key = publicKey;
        if (key == null && privateKeySecret != null) {
            key = decode(privateKeySecret, passphrase).publicKey();
            publicKey = key;
        }
        return key;
    }

    @Override
    protected Object readResolve() {
        if (Secret.toString(privateKeySecret).isBlank()) {
            // e.g. config.xml read back with its secrets redacted: refuse rather than lose or replace the key
            throw new IllegalStateException(source() + " has no private key; a generated SSH key credential is"
                    + " created and updated through its form or Configuration as Code, never without its key");
        }
        if (keyType == null) {
            keyType = GeneratedKeyType.DEFAULT;
        }
        return super.readResolve();
    }

    private EncodedKeyPair decode(Secret text, Secret passphraseOfText) {
        try {
            return EncodedKeyPair.decode(source(), text.getPlainText(), passphraseChars(passphraseOfText));
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private String source() {
        return "credential '" + getId() + "'";
    }

    @CheckForNull
    private static char[] passphraseChars(@CheckForNull Secret passphrase) {
        return passphrase == null ? null : passphrase.getPlainText().toCharArray();
    }

    /** What FIPS-140 mode forbids in these settings, or {@code null}. */
    @CheckForNull
    static String fipsProblem(@NonNull GeneratedKeyType keyType, @CheckForNull Secret passphrase) {
        if (!FIPS140.useCompliantAlgorithms()) {
            return null;
        }
        if (!keyType.isFipsCompliant()) {
            return keyType.getDisplayName() + " keys are not allowed in FIPS-140 mode; use RSA";
        }
        String plain = Secret.toString(passphrase);
        if (!plain.isEmpty() && plain.length() < FIPS_MIN_PASSPHRASE_LENGTH) {
            return "in FIPS-140 mode a passphrase needs at least " + FIPS_MIN_PASSPHRASE_LENGTH + " characters";
        }
        return null;
    }

    /** The credential type in "Add Credentials", its form helpers and the public key's URL. */
    @Extension
    @Symbol("generatedSshKey")
    public static class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        public DescriptorImpl() {
            super(GeneratedSSHUserPrivateKeyImpl.class);
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "SSH key pair generated by Jenkins";
        }

        @Override
        public String getIconClassName() {
            return "symbol-fingerprint";
        }

        /** The key types, Ed25519 left out in FIPS-140 mode. */
        @POST
        public ListBoxModel doFillKeyTypeItems(@ContextInPath ModelObject context) {
            checkCanConfigure(context);
            ListBoxModel items = new ListBoxModel();
            for (GeneratedKeyType type : GeneratedKeyType.values()) {
                if (type.isFipsCompliant() || !FIPS140.useCompliantAlgorithms()) {
                    items.add(type.getDisplayName(), type.name());
                }
            }
            return items;
        }

        /** Refuses a passphrase FIPS-140 mode would refuse. */
        @POST
        public FormValidation doCheckPassphrase(@ContextInPath ModelObject context, @QueryParameter String value,
                @QueryParameter String keyType) {
            checkCanConfigure(context);
            GeneratedKeyType type;
            try {
                type = keyType == null || keyType.isEmpty() ? GeneratedKeyType.DEFAULT : GeneratedKeyType.valueOf(keyType);
            } catch (IllegalArgumentException e) {
                return FormValidation.error("unknown key type '" + keyType + "'");
            }
            String problem = fipsProblem(type, Secret.fromString(Util.fixNull(value)));
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        /**
         * The public key of the credential {@code id} as it is seen from this URL's context ({@code
         * <item>/descriptorByName/…/publicKey?id=…}, or from the root for Jenkins-level credentials), as {@code
         * text/plain}: the {@code authorized_keys} line and a line break. Needs the permission to view credentials
         * there.
         */
        @GET
        public HttpResponse doPublicKey(@AncestorInPath Item item, @QueryParameter String id) {
            AccessControlled context = item == null ? Jenkins.get() : item;
            context.checkPermission(CredentialsProvider.VIEW);
            if (id == null || id.isEmpty()) {
                return HttpResponses.errorWithoutStack(400, "the 'id' query parameter names the credential");
            }
            GeneratedSSHUserPrivateKey credentials = CredentialsMatchers.firstOrNull(
                    CredentialsProvider.lookupCredentialsInItem(GeneratedSSHUserPrivateKey.class, item, ACL.SYSTEM2,
                            List.of()),
                    CredentialsMatchers.withId(id));
            String line = credentials == null ? null : credentials.getPublicKeyLine();
            if (line == null) {
                return HttpResponses.errorWithoutStack(404, "no generated SSH key credential '" + id + "' here");
            }
            return HttpResponses.text(line + "\n");
        }

        /**
         * The path, relative to the root URL, at which {@link #doPublicKey} serves the public key of credential
         * {@code id} in {@code store}; {@code null} for stores outside Jenkins and its items (user stores).
         */
        @CheckForNull
        public String getPublicKeyUrl(@NonNull CredentialsStore store, @NonNull String id) {
            return urlOf(store, "publicKey", id);
        }

        /**
         * The path, relative to the root URL, of the page that asks to confirm regenerating the pair of credential
         * {@code id} in {@code store} ({@link #doRegenerate}); {@code null} for stores outside Jenkins and its items.
         */
        @CheckForNull
        public String getRegenerateUrl(@NonNull CredentialsStore store, @NonNull String id) {
            return urlOf(store, "regenerate", id);
        }

        /**
         * The confirmation page for regenerating the pair of credential {@code id}, stored in this URL's context
         * (an item, or Jenkins itself for Jenkins-level credentials): it names the credential and its current
         * fingerprint and says what regenerating breaks. Needs the permission to update credentials in its store.
         */
        @GET
        public HttpResponse doRegenerate(@AncestorInPath Item item, @QueryParameter String id) {
            (item == null ? Jenkins.get() : item).checkPermission(CredentialsProvider.UPDATE);
            StoredCredential stored = StoredCredential.find(item, id);
            if (stored == null) {
                return notHere(id);
            }
            stored.store().checkPermission(CredentialsProvider.UPDATE);
            return HttpResponses.forwardToView(this, "regenerate.jelly")
                    .with("credential", stored.credential())
                    .with("credentialUrl", stored.pageUrl());
        }

        /**
         * Replaces the pair of credential {@code id} by a newly generated one of the same type, keeping every other
         * setting, and returns to the credential's page. {@code fingerprint} is the one the confirmation page showed:
         * when the stored pair is no longer that one (regenerated or replaced meanwhile), nothing happens (409).
         */
        @POST
        public HttpResponse doRegenerateSubmit(@AncestorInPath Item item, @QueryParameter String id,
                @QueryParameter String fingerprint) throws IOException {
            (item == null ? Jenkins.get() : item).checkPermission(CredentialsProvider.UPDATE);
            StoredCredential stored = StoredCredential.find(item, id);
            if (stored == null) {
                return notHere(id);
            }
            stored.store().checkPermission(CredentialsProvider.UPDATE);
            GeneratedSSHUserPrivateKeyImpl current = stored.credential();
            if (fingerprint == null || !fingerprint.equals(current.getFingerprint())) {
                return HttpResponses.errorWithoutStack(409, "credential '" + id + "' no longer holds the key "
                        + fingerprint + " that was confirmed; nothing was regenerated");
            }
            GeneratedSSHUserPrivateKeyImpl replacement = current.regenerated();
            if (!stored.store().updateCredentials(stored.domain(), current, replacement)) {
                return HttpResponses.errorWithoutStack(409, "credential '" + id + "' changed meanwhile;"
                        + " nothing was regenerated");
            }
            LOGGER.log(Level.INFO, "{0} regenerated the key pair of {1}: {2} replaces {3}", new Object[] {
                    Jenkins.getAuthentication2().getName(), replacement.source(), replacement.getFingerprint(),
                    current.getFingerprint()});
            return HttpResponses.redirectViaContextPath(stored.pageUrl());
        }

        private static HttpResponse notHere(@CheckForNull String id) {
            return id == null || id.isEmpty()
                    ? HttpResponses.errorWithoutStack(400, "the 'id' query parameter names the credential")
                    : HttpResponses.errorWithoutStack(404, "no generated SSH key credential '" + id + "' here");
        }

        @CheckForNull
        private static String urlOf(@NonNull CredentialsStore store, @NonNull String method, @NonNull String id) {
            String base = StoredCredential.contextUrl(store.getContext());
            return base == null ? null : base + "descriptorByName/" + GeneratedSSHUserPrivateKeyImpl.class.getName()
                    + "/" + method + "?id=" + Util.rawEncode(id);
        }

        private static void checkCanConfigure(@CheckForNull ModelObject context) {
            AccessControlled target = context instanceof AccessControlled controlled ? controlled : Jenkins.get();
            target.checkAnyPermission(CredentialsProvider.CREATE, CredentialsProvider.UPDATE);
        }
    }
}
