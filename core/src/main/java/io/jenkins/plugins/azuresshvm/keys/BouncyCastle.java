package io.jenkins.plugins.azuresshvm.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance our key code uses, passed explicitly rather than registered globally. */
final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {}
}
