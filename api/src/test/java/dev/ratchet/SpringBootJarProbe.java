package dev.ratchet;

/**
 * The start class of the Spring Boot executable jar {@link SpringBootJarTest} builds: prints each
 * migration of each classpath location given, as {@code location name checksum length}, loading
 * every location twice (a jar closed by the first load would fail the second).
 */
public final class SpringBootJarProbe {
    private SpringBootJarProbe() {
    }

    /** @param args classpath locations */
    public static void main(String[] args) {
        for (String location : args) {
            for (int round = 0; round < 2; round++) {
                for (Migration m : MigrationSource.classpath(location).load()) {
                    System.out.println(location + " " + m.name() + " " + m.checksum().orElseThrow() + " "
                            + m.script().orElseThrow().length());
                }
            }
        }
    }
}
