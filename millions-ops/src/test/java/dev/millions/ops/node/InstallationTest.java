package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstallationTest {

    @Test
    void jvmOptions_areSplitAtWhiteSpace() {
        assertThat(Installation.jvmOptions("  -XX:TieredStopAtLevel=1 \t-Xss512k ", 2)).containsExactly(
                "-XX:TieredStopAtLevel=1", "-Xss512k");
    }

    @Test
    void unsetJvmOptions_onASmallMachine_leaveOutC2() {
        assertThat(Installation.jvmOptions(null, 2)).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(Installation.jvmOptions(null, 4)).containsExactly("-XX:TieredStopAtLevel=1");
    }

    @Test
    void unsetJvmOptions_onALargerMachine_areNone() {
        assertThat(Installation.jvmOptions(null, 8)).isEmpty();
    }

    @Test
    void blankJvmOptions_areNone_evenOnASmallMachine() {
        assertThat(Installation.jvmOptions(" ", 2)).isEmpty();
        assertThat(Installation.jvmOptions("", 2)).isEmpty();
    }

    @Test
    void aWordThatIsNoOption_isRefusedWithTheVariablesValue() {
        assertThatThrownBy(() -> Installation.jvmOptions("-Xmx1g TieredStopAtLevel=1", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MILLIONS_JVM_OPTIONS: 'TieredStopAtLevel=1' in '-Xmx1g TieredStopAtLevel=1' "
                            + "(expected: JVM options separated by spaces, each starting with '-')");
    }
}
