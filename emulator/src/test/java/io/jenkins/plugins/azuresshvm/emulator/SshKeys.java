package io.jenkins.plugins.azuresshvm.emulator;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** OpenSSH public key lines made with the JDK alone. */
final class SshKeys {

    private SshKeys() {}

    static String rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
        return line("ssh-rsa", key.getPublicExponent().toByteArray(), key.getModulus().toByteArray());
    }

    static String ed25519() throws GeneralSecurityException {
        byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        return line("ssh-ed25519", Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    static String ecdsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copy32(key.getW().getAffineX(), point, 1);
        copy32(key.getW().getAffineY(), point, 33);
        return line("ecdsa-sha2-nistp256", "nistp256".getBytes(StandardCharsets.US_ASCII), point);
    }

    private static void copy32(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }

    private static String line(String type, byte[]... fields) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        write(blob, type.getBytes(StandardCharsets.US_ASCII));
        for (byte[] field : fields) {
            write(blob, field);
        }
        return type + " " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test@emulator";
    }

    private static void write(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }
}
