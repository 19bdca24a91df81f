# Reference values for tests/test_effects.py, from R 4.2 with metafor 3.8-1 (Debian
# r-cran-metafor). Run: Rscript tests/reference/effects.R   (CI does not run R)
suppressMessages(library(metafor))
# Table 2, psychosocial aspects at 6 months: A 41.05 (19.1) n 18, B 50.93 (20.55) n 18
# Table 5, distress at 6 months: A 15.44 (8.6) n 18, B 24.95 (12.8) n 18
# Table 4, physical fatigue at 3 months: A 49.0 (24.92) n 25, B 56.44 (30.53) n 22
es <- escalc("SMD", m1i = c(41.05, 15.44, 49.0), sd1i = c(19.1, 8.6, 24.92), n1i = c(18, 18, 25),
             m2i = c(50.93, 24.95, 56.44), sd2i = c(20.55, 12.8, 30.53), n2i = c(18, 18, 22))
s <- summary(es)
for (i in 1:3) cat(sprintf("smd %d yi %.10f vi %.10f ci_lb %.10f ci_ub %.10f\n", i, s$yi[i], s$vi[i],
                          s$ci.lb[i], s$ci.ub[i]))
# Student and Welch t-tests from summary data (formulas written out in R)
tt <- function(m1, s1, n1, m2, s2, n2, welch) {
  if (welch) { se <- sqrt(s1^2 / n1 + s2^2 / n2)
    df <- se^4 / ((s1^2 / n1)^2 / (n1 - 1) + (s2^2 / n2)^2 / (n2 - 1))
  } else { sp <- sqrt(((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2))
    se <- sp * sqrt(1 / n1 + 1 / n2); df <- n1 + n2 - 2 }
  t <- (m1 - m2) / se
  c(t, df, 2 * pt(-abs(t), df))
}
w <- tt(15.44, 8.6, 18, 24.95, 12.8, 18, TRUE); s2 <- tt(15.44, 8.6, 18, 24.95, 12.8, 18, FALSE)
cat(sprintf("welch_distress_t3 t %.10f df %.10f p %.10f\n", w[1], w[2], w[3]))
cat(sprintf("student_distress_t3 t %.10f df %.10f p %.10f\n", s2[1], s2[2], s2[3]))
