package io.jenkins.plugins.azuresshvm.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RSA key generation with the prime search spread over several threads. Each prime is a random odd number with its
 * two top bits set (so the modulus has exactly the asked size), sieved by the odd primes below 2<sup>16</sup>, with
 * {@code p mod e != 1}, then tested by {@link BigInteger#isProbablePrime} (Miller–Rabin and Lucas, error below
 * 2<sup>-100</sup>). The key follows FIPS 186-4's rules: e = 65537, |p − q| &gt; 2<sup>bits/2 − 100</sup>,
 * d = e<sup>−1</sup> mod lcm(p−1, q−1) &gt; 2<sup>bits/2</sup>, and p &gt; q as OpenSSH writes it (Jenkins' trilead
 * reader needs that order in openssh-key-v1 files).
 */
final class RsaKeyPairGenerator {
    private static final BigInteger E = BigInteger.valueOf(65537);
    private static final int CERTAINTY = 100;
    private static final int WINDOW = 4096;
    private static final int[] SIEVE_PRIMES = oddPrimesBelow(1 << 16);

    private final SecureRandom random;
    private final int threads;

    RsaKeyPairGenerator(SecureRandom random, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.random = random;
        this.threads = threads;
    }

    KeyPair generate(int bits) {
        while (true) {
            BigInteger[] primes = searchPrimes(bits);
            KeyPair pair = assemble(primes[0], primes[1], bits);
            if (pair != null) {
                return pair;
            }
        }
    }

    /** Two primes of {@code bits - bits/2} and {@code bits/2} bits, found by all threads together. */
    private BigInteger[] searchPrimes(int bits) {
        int[] sizes = {bits - bits / 2, bits / 2};
        PrimeSlots slots = new PrimeSlots(sizes);
        if (threads == 1) {
            new PrimeSearch(slots, 0).run();
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(new PrimeSearch(slots, i), "rsa-prime-search-" + i);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    slots.cancel();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while generating an RSA key", e);
                }
            }
        }
        return slots.primes();
    }

    private static KeyPair assemble(BigInteger first, BigInteger second, int bits) {
        BigInteger p = first.max(second);
        BigInteger q = first.min(second);
        BigInteger n = p.multiply(q);
        if (n.bitLength() != bits || p.subtract(q).bitLength() <= bits / 2 - 100) {
            return null;
        }
        BigInteger pMinus1 = p.subtract(BigInteger.ONE);
        BigInteger qMinus1 = q.subtract(BigInteger.ONE);
        BigInteger lcm = pMinus1.divide(pMinus1.gcd(qMinus1)).multiply(qMinus1);
        BigInteger d = E.modInverse(lcm);
        if (d.bitLength() <= bits / 2) {
            return null;
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(n, E));
            PrivateKey privateKey = factory.generatePrivate(new RSAPrivateCrtKeySpec(
                    n, E, d, p, q, d.mod(pMinus1), d.mod(qMinus1), q.modInverse(p)));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime refused an RSA key it should accept", e);
        }
    }

    /** The primes wanted, filled by whichever thread finds one first. */
    private static final class PrimeSlots {
        private final int[] sizes;
        private final BigInteger[] found;
        private final AtomicBoolean done = new AtomicBoolean();

        PrimeSlots(int[] sizes) {
            this.sizes = sizes;
            this.found = new BigInteger[sizes.length];
        }

        /** The size of a prime still missing, preferring slot {@code hint}; 0 when all are found. */
        synchronized int sizeWanted(int hint) {
            for (int i = 0; i < sizes.length; i++) {
                int slot = (hint + i) % sizes.length;
                if (found[slot] == null) {
                    return sizes[slot];
                }
            }
            return 0;
        }

        synchronized void offer(BigInteger prime) {
            for (int i = 0; i < sizes.length; i++) {
                if (found[i] == null && prime.bitLength() == sizes[i]) {
                    for (BigInteger other : found) {
                        if (prime.equals(other)) {
                            return;
                        }
                    }
                    found[i] = prime;
                    break;
                }
            }
            for (BigInteger prime1 : found) {
                if (prime1 == null) {
                    return;
                }
            }
            done.set(true);
        }

        boolean isDone() {
            return done.get();
        }

        void cancel() {
            done.set(true);
        }

        synchronized BigInteger[] primes() {
            return found.clone();
        }
    }

    /** One thread's search: sieve a window after a random start, test the survivors, repeat until done. */
    private final class PrimeSearch implements Runnable {
        private final PrimeSlots slots;
        private final int hint;

        PrimeSearch(PrimeSlots slots, int hint) {
            this.slots = slots;
            this.hint = hint;
        }

        @Override
        public void run() {
            int size;
            while (!slots.isDone() && (size = slots.sizeWanted(hint)) > 0) {
                BigInteger prime = searchWindow(size);
                if (prime != null) {
                    slots.offer(prime);
                }
            }
        }

        private BigInteger searchWindow(int size) {
            BigInteger start = new BigInteger(size, random).setBit(size - 1).setBit(size - 2).setBit(0);
            // candidate k is start + 2k; composite marks its sieve bit
            BitSet composite = new BitSet(WINDOW);
            for (int prime : SIEVE_PRIMES) {
                int residue = start.mod(BigInteger.valueOf(prime)).intValue();
                // first k with start + 2k ≡ 0 (mod prime): k ≡ -residue * 2^-1 (mod prime)
                int k = (int) ((long) (prime - residue) * ((prime + 1) / 2) % prime);
                for (; k < WINDOW; k += prime) {
                    composite.set(k);
                }
            }
            int eResidue = start.mod(E).intValue();
            for (int k = composite.nextClearBit(0); k < WINDOW; k = composite.nextClearBit(k + 1)) {
                if (slots.isDone()) {
                    return null;
                }
                if ((eResidue + 2L * k) % 65537 == 1) {
                    continue;
                }
                BigInteger candidate = start.add(BigInteger.valueOf(2L * k));
                if (candidate.bitLength() == size && candidate.isProbablePrime(CERTAINTY)) {
                    return candidate;
                }
            }
            return null;
        }
    }

    private static int[] oddPrimesBelow(int limit) {
        BitSet composite = new BitSet(limit);
        List<Integer> primes = new ArrayList<>();
        for (int i = 3; i < limit; i += 2) {
            if (!composite.get(i)) {
                primes.add(i);
                for (long j = (long) i * i; j < limit; j += 2L * i) {
                    composite.set((int) j);
                }
            }
        }
        return primes.stream().mapToInt(Integer::intValue).toArray();
    }
}
