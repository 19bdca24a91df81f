# Reference values for tests/test_sensitivity.py. Run: Rscript tests/reference/sensitivity.R
# retrodesign: the function printed in Gelman & Carlin (2014), Perspect Psychol Sci 9:641
retrodesign <- function(A, s, alpha = .05, df = Inf, n.sims = 10000) {
  z <- qt(1 - alpha / 2, df)
  p.hi <- 1 - pt(z - A / s, df)
  p.lo <- pt(-z - A / s, df)
  power <- p.hi + p.lo
  typeS <- p.lo / power
  estimate <- A + s * rt(n.sims, df)
  significant <- abs(estimate) > s * z
  exaggeration <- mean(abs(estimate)[significant]) / A
  list(power = power, typeS = typeS, exaggeration = exaggeration)
}
set.seed(1)
r1 <- retrodesign(0.1, 3.3, n.sims = 1e6)
r2 <- retrodesign(0.5, 0.33, n.sims = 1e6)
cat(sprintf("retro_0.1_3.3 power %.10f typeS %.10f exaggeration %.4f\n", r1$power, r1$typeS, r1$exaggeration))
cat(sprintf("retro_0.5_0.33 power %.10f typeS %.10f exaggeration %.4f\n", r2$power, r2$typeS, r2$exaggeration))
# JZS Bayes factor from a two-sample t (BayesFactor 0.9.12)
suppressMessages(library(BayesFactor))
bf <- ttest.tstat(t = -2.6164403878, n1 = 18, n2 = 18, rscale = "medium")
cat(sprintf("bf10_t-2.616_18_18 %.10f\n", exp(bf$bf)))
bf2 <- ttest.tstat(t = 1.5, n1 = 25, n2 = 22, rscale = "medium")
cat(sprintf("bf10_t1.5_25_22 %.10f\n", exp(bf2$bf)))
# Holm and BH
p <- c(0.001, 0.010, 0.013, 0.006, 0.016, 0.081, 0.2)
cat("holm", sprintf("%.10f", p.adjust(p, "holm")), "\n")
cat("bh", sprintf("%.10f", p.adjust(p, "BH")), "\n")
