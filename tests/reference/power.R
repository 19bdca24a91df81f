# Reference values for tests/test_cohort.py, from R's pwr package (Debian r-cran-pwr).
# Run: Rscript tests/reference/power.R   (CI does not run R; the values are pasted in the test)
library(pwr)
a <- pwr.t.test(n = 30, d = 0.8, sig.level = 0.05, type = "two.sample", alternative = "two.sided")
b <- pwr.t.test(power = 0.8, d = 0.8, sig.level = 0.05, type = "two.sample", alternative = "two.sided")
cat(sprintf("power_n30_d0.8 %.10f\nn_for_power0.8_d0.8 %.10f\n", a$power, b$n))
# Fisher's exact test of deaths by 6 months, 12/30 against 12/30
cat(sprintf("fisher_12of30_vs_12of30 %.10f\n", fisher.test(matrix(c(12, 18, 12, 18), 2))$p.value))
# Student's t-test from summary data, Table 1 age: 61.3 (10.1) vs 64.1 (10.9), n = 30 each
t_from_stats <- function(m1, s1, n1, m2, s2, n2) {
  sp <- sqrt(((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2))
  t <- (m1 - m2) / (sp * sqrt(1 / n1 + 1 / n2))
  c(t, 2 * pt(-abs(t), n1 + n2 - 2))
}
cat(sprintf("age_t %.10f age_p %.10f\n", t_from_stats(61.3, 10.1, 30, 64.1, 10.9, 30)[1],
            t_from_stats(61.3, 10.1, 30, 64.1, 10.9, 30)[2]))
