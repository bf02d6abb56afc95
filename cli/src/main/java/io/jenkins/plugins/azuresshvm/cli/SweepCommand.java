package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.OrphanSweep;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code azssh sweep}: what one owner left behind (crashed runs), listed, and deleted with {@code --yes}. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Find the resources of one owner (default: the ones azssh created as you) older than --older-than,",
            "e.g. left by a crash, and delete them with --yes: just-in-time policy, VM, OS disk, NIC, virtual network,",
            "public IP, NSG, and resource groups with nothing else in them. Without --yes only lists them.",
            "Another owner's resources, untagged ones and ones without a creation tag are never touched."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:listed, or deleted (maybe nothing)", "1:an error, or something could not be deleted",
            "2:invalid usage"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Azssh azssh;

    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = AgeConverter.class,
            description = "Only resources created longer ago than this: 30m, 2h, 3d, or ISO-8601 (PT2H, P3D).")
    Duration olderThan;

    @Option(names = "--owner", paramLabel = "ID",
            description = "The owner tag to sweep. Default: azssh:<user>@<host>, what 'azssh vm create' sets.")
    String owner;

    @Option(names = {"-y", "--yes"}, description = "Really delete; without it, only list.")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "For the whole sweep (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        OrphanSweep sweep = new OrphanSweep(azssh.azure(), Clock.systemUTC());
        OrphanSweep.Plan plan = sweep.plan(owner != null ? owner : LocalUser.ownerId(), olderThan, timeout);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!azssh.json()) {
            printPlan(out, plan);
        }
        List<String> deleted = null;
        if (!yes) {
            if (!plan.orphans().isEmpty()) {
                err.println("Dry run: nothing deleted; add --yes to delete them");
            }
        } else if (!plan.orphans().isEmpty()) {
            StepPrinter steps = new StepPrinter(err, 1);
            steps.start("Deleting " + plan.orphans().size() + " resources");
            try {
                deleted = sweep.delete(plan, timeout);
                steps.done();
            } catch (Exception | Error e) {
                steps.failed();
                throw e;
            }
        } else {
            deleted = List.of();
        }
        List<String> done = deleted;
        azssh.print(out, text -> {
            if (done != null && !done.isEmpty()) {
                text.println("Deleted " + String.join(", ", done));
            }
        }, () -> new Json(plan.ownerId(), plan.createdBefore().toString(), !yes, plan.orphans().stream()
                .map(orphan -> new Json.Resource(orphan.type(), orphan.id(), orphan.created().toString())).toList(),
                done));
        return 0;
    }

    private void printPlan(PrintWriter out, OrphanSweep.Plan plan) {
        if (plan.orphans().isEmpty()) {
            out.println("Nothing of " + plan.ownerId() + " created before " + plan.createdBefore());
            return;
        }
        out.println((yes ? "Deleting" : "Would delete") + " " + plan.orphans().size() + " resources of "
                + plan.ownerId() + " created before " + plan.createdBefore() + ":");
        for (OrphanSweep.Orphan orphan : plan.orphans()) {
            out.println("  " + orphan.type() + " " + orphan.id() + " (created " + orphan.created() + ")");
        }
    }

    /**
     * {@code azssh sweep --output json}.
     *
     * @param owner the owner swept
     * @param createdBefore resources created before this instant (ISO-8601, UTC) are orphans
     * @param dryRun whether nothing was deleted because {@code --yes} was not given
     * @param resources the orphans, in deletion order
     * @param deleted with {@code --yes}: what was deleted, as the text output says it; {@code null} in a dry run
     */
    record Json(String owner, String createdBefore, boolean dryRun, List<Resource> resources, List<String> deleted) {
        /**
         * One orphan.
         *
         * @param type its ARM type
         * @param id its ARM id
         * @param created its creation tag (ISO-8601, UTC)
         */
        record Resource(String type, String id, String created) {}
    }
}
