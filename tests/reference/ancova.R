# Reference values for tests/test_effects.py and tests/test_sensitivity.py (issue 13).
# Run: Rscript tests/reference/ancova.R   (R 4.2, base R only; CI does not run R)
#
# Data with exactly given summaries: in each arm, n patients whose baseline has mean m0 and SD
# sd0, whose follow-up has mean m1 and SD sd1, and whose within-arm correlation is exactly r.
exact_arm <- function(n, m0, sd0, m1, sd1, r, seed) {
  set.seed(seed)
  q <- qr.Q(qr(cbind(1, rnorm(n), rnorm(n))))[, 2:3] * sqrt(n - 1)  # centred, orthonormal
  z1 <- q[, 1]; z2 <- q[, 2]
  data.frame(x = m0 + sd0 * z1, y = m1 + sd1 * (r * z1 + sqrt(1 - r^2) * z2))
}
ancova <- function(label, a, b, r) {
  d <- rbind(cbind(exact_arm(a[7], a[1], a[2], a[4], a[5], r, 1), arm = "A"),
             cbind(exact_arm(b[7], b[1], b[2], b[4], b[5], r, 2), arm = "B"))
  d$arm <- factor(d$arm, levels = c("B", "A"))
  fit <- summary(lm(y ~ arm + x, data = d))$coefficients["armA", ]
  cat(sprintf("%s r %.2f estimate %.10f se %.10f p %.10f\n", label, r, fit[1], fit[2], fit[4]))
}
# m0, sd0, n0, m1, sd1, n1 (as contrasts() gives them) then n used = n1 (position 7)
psy_a <- c(69.26, 17.0, 30, 41.05, 19.1, 18, 18); psy_b <- c(57.59, 19.87, 30, 50.93, 20.55, 18, 18)
ancova("psychosocial_t3", psy_a, psy_b, 0.5)
ancova("psychosocial_t3", psy_a, psy_b, 0.0)
ancova("psychosocial_t3", psy_a, psy_b, 0.7)
dis_a <- c(24.7, 10.8, 30, 15.44, 8.6, 18, 18); dis_b <- c(24.13, 12.1, 30, 24.95, 12.8, 18, 18)
ancova("distress_t3", dis_a, dis_b, 0.5)
