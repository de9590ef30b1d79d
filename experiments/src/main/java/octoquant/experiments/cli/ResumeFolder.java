package octoquant.experiments.cli;

import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which experiment an output folder holds, so {@code --resume DIR} needs no experiment name: an audit keeps
 * {@code audit.json}, every other experiment {@code config.json} with its {@code experiment} key.
 */
final class ResumeFolder {
    private ResumeFolder() {}

    static String experimentOf(Path dir) throws UsageException {
        if (Files.isRegularFile(dir.resolve("audit.json"))) return "audit";
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UsageException("--resume " + dir + ": no config.json or audit.json there; give the folder an "
                    + "interrupted run wrote");
        }
        try {
            return new JsonObject(Json.parse(Files.readString(config)), "config.json").string("experiment");
        } catch (IOException | JsonException e) {
            throw new UsageException("--resume " + dir + ": config.json does not name its experiment (" + e.getMessage() + ")");
        }
    }
}
