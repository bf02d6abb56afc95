package io.jenkins.plugins.azuresshvm.cli;

/** What a command prints on stdout ({@code --output}): text lines for people, or one line of JSON for programs. */
enum OutputFormat {
    TEXT,
    JSON
}
