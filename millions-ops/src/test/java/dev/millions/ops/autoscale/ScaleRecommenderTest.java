package dev.millions.ops.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.millions.ops.dashboard.RoleMetric;

class ScaleRecommenderTest {

    private static final long SECOND = 1_000_000_000L;

    private static AutoscalePolicy policy(int min, int max, long upWindow, long downWindow, long cooldown) {
        return new AutoscalePolicy("web", min, max, RoleMetric.IN_FLIGHT, 4, Duration.ofSeconds(upWindow),
                                   Duration.ofSeconds(downWindow), Duration.ofSeconds(cooldown));
    }

    @Test
    void aboveTheTarget_scalesToCeilOfNodesTimesTheRatio_withinMax() {
        ScaleRecommender recommender = new ScaleRecommender(policy(1, 10, 0, 0, 0));

        assertThat(recommender.recommend(0, 2, 9)).isEqualTo(5);
        assertThat(new ScaleRecommender(policy(1, 3, 0, 0, 0)).recommend(0, 2, 9)).isEqualTo(3);
    }

    @Test
    void withinTheTolerance_nothingChanges() {
        ScaleRecommender recommender = new ScaleRecommender(policy(1, 10, 0, 0, 0));

        assertThat(recommender.recommend(0, 3, 4.3)).isEqualTo(3);
        assertThat(recommender.recommend(SECOND, 3, 3.7)).isEqualTo(3);
    }

    @Test
    void scaleDown_waitsUntilTheWholeWindowRecommendsIt_soADipMovesNothing() {
        ScaleRecommender recommender = new ScaleRecommender(policy(1, 10, 0, 30, 0));
        assertThat(recommender.recommend(0, 4, 4)).isEqualTo(4);

        for (long second = 1; second < 30; second++) {
            assertThat(recommender.recommend(second * SECOND, 4, 1)).as("at %s s", second).isEqualTo(4);
        }
        assertThat(recommender.recommend(31 * SECOND, 4, 1)).isEqualTo(1);
    }

    @Test
    void scaleUp_withAWindow_goesToTheLowestRecommendationInIt() {
        ScaleRecommender recommender = new ScaleRecommender(policy(1, 10, 10, 0, 0));
        recommender.recommend(0, 2, 4);

        assertThat(recommender.recommend(5 * SECOND, 2, 12)).isEqualTo(2);
        assertThat(recommender.recommend(11 * SECOND, 2, 12)).isEqualTo(6);
    }

    @Test
    void cooldown_holdsEveryChange_untilItHasPassedSinceTheLastOneEnded() {
        ScaleRecommender recommender = new ScaleRecommender(policy(1, 10, 0, 0, 15));
        recommender.changed(100 * SECOND);

        assertThat(recommender.recommend(110 * SECOND, 2, 12)).isEqualTo(2);
        assertThat(recommender.recommend(115 * SECOND, 2, 12)).isEqualTo(6);
    }

    @Test
    void aCountOutsideTheBounds_isBroughtInsideAtOnce() {
        ScaleRecommender recommender = new ScaleRecommender(policy(2, 3, 0, 0, 0));

        assertThat(recommender.recommend(0, 5, 4)).isEqualTo(3);
        assertThat(recommender.recommend(SECOND, 1, 4)).isEqualTo(2);
    }
}
