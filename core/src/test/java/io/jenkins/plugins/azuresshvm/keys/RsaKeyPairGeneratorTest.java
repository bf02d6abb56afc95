package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parallel RSA generator makes keys that follow FIPS 186-4's rules and work with the JDK's RSA. */
class RsaKeyPairGeneratorTest {

    @ParameterizedTest(name = "{0} bits on {1} thread(s)")
    @CsvSource({"2048, 1", "2048, 2", "2048, 4", "3001, 2", "4096, 2"})
    void generatesKeysWithExactSizeLargerPrimeFirstAndValidCrtValues(int bits, int threads) throws Exception {
        KeyPair pair = new RsaKeyPairGenerator(new SecureRandom(), threads).generate(bits);
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) pair.getPrivate();
        BigInteger p = key.getPrimeP();
        BigInteger q = key.getPrimeQ();
        BigInteger one = BigInteger.ONE;

        assertThat(key.getModulus().bitLength()).isEqualTo(bits);
        assertThat(key.getModulus()).isEqualTo(p.multiply(q));
        assertThat(((RSAPublicKey) pair.getPublic()).getModulus()).isEqualTo(key.getModulus());
        assertThat(key.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(p).isGreaterThan(q);
        assertThat(p.isProbablePrime(64)).isTrue();
        assertThat(q.isProbablePrime(64)).isTrue();
        assertThat(p.subtract(q).bitLength()).isGreaterThan(bits / 2 - 100);
        BigInteger lcm = p.subtract(one).multiply(q.subtract(one)).divide(p.subtract(one).gcd(q.subtract(one)));
        assertThat(key.getPrivateExponent().multiply(key.getPublicExponent()).mod(lcm)).isEqualTo(one);
        assertThat(key.getPrivateExponent().bitLength()).isGreaterThan(bits / 2);
        assertThat(key.getPrimeExponentP()).isEqualTo(key.getPrivateExponent().mod(p.subtract(one)));
        assertThat(key.getPrimeExponentQ()).isEqualTo(key.getPrivateExponent().mod(q.subtract(one)));
        assertThat(key.getCrtCoefficient().multiply(q).mod(p)).isEqualTo(one);

        byte[] message = "sign me".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA512withRSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA512withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @ParameterizedTest(name = "{0} bits")
    @CsvSource({"1024", "2047", "16385"})
    void refusesSizesOutsideWhatAzureAndSshKeygenAccept(int bits) {
        assertThatThrownBy(() -> KeyGenSpec.rsa(bits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("RSA key size " + bits + " is");
    }
}
