package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A long-running operation, polled through its {@code Azure-AsyncOperation} and {@code Location} URLs. */
interface Operation {

    /** The {@code Azure-AsyncOperation} answer: {@code {"status":"InProgress|Succeeded|Failed", …}}. */
    ObjectNode status();

    /** The {@code Location} answer: 202 while running, then the operation's result (or its error). */
    ArmResponse result(String locationUrl);
}
