package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstallationTest {

    @Test
    void jvmOptions_areSplitAtWhiteSpace() {
        assertThat(Installation.jvmOptions("  -XX:TieredStopAtLevel=1 \t-Xss512k ")).containsExactly(
                "-XX:TieredStopAtLevel=1", "-Xss512k");
    }

    @Test
    void unsetOrBlankJvmOptions_areNone() {
        assertThat(Installation.jvmOptions(null)).isEmpty();
        assertThat(Installation.jvmOptions(" ")).isEmpty();
    }

    @Test
    void aWordThatIsNoOption_isRefusedWithTheVariablesValue() {
        assertThatThrownBy(() -> Installation.jvmOptions("-Xmx1g TieredStopAtLevel=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MILLIONS_JVM_OPTIONS: 'TieredStopAtLevel=1' in '-Xmx1g TieredStopAtLevel=1' "
                            + "(expected: JVM options separated by spaces, each starting with '-')");
    }
}
