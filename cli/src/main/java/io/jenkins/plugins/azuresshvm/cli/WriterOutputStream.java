package io.jenkins.plugins.azuresshvm.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Remote output (UTF-8 bytes) onto the command line's writers; a character split across writes is kept whole. */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private char last = '\n';

    WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int end = offset + length;
        while (offset < end) {
            int chunk = Math.min(pending.remaining(), end - offset);
            pending.put(bytes, offset, chunk);
            offset += chunk;
            pending.flip();
            decoder.decode(pending, chars, false);
            pending.compact();
            chars.flip();
            if (chars.hasRemaining()) {
                last = chars.get(chars.limit() - 1);
            }
            writer.append(chars);
            chars.clear();
        }
    }

    /** Whether nothing was written yet or the last character written ended a line. */
    synchronized boolean atLineStart() {
        return last == '\n';
    }

    @Override
    public void flush() {
        writer.flush();
    }
}
