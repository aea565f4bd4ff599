# Expected numbers for test/estimate/r-fixtures.test.ts, from estimatr and
# clubSandwich on the data sets of test/fixtures/r/*.csv (written by
# `spillover draw`: scripts/r/make-fixtures.sh, which then runs this).
# Columns used: unit (the cluster), dose (0/1), y, baseline, year.
#   apt-get install -y r-base-core r-cran-estimatr r-cran-clubsandwich
#   Rscript scripts/r/fixtures.R
# The test suite reads the JSON this writes; it never runs R.
suppressPackageStartupMessages({
  library(estimatr)
  library(clubSandwich)
  library(jsonlite)
})
dir <- "test/fixtures/r"
tidy1 <- function(fit, term = "z") {
  s <- tidy(fit)
  s <- s[s$term == term, ]
  list(estimate = s$estimate, std_error = s$std.error, df = s$df, p_value = s$p.value,
       conf_low = s$conf.low, conf_high = s$conf.high)
}
out <- list(
  R = R.version.string,
  estimatr = as.character(packageVersion("estimatr")),
  clubSandwich = as.character(packageVersion("clubSandwich")),
  cases = list()
)
add <- function(name, value) out$cases[[name]] <<- value

for (f in c("caltech-dorm-rep0", "caltech-dorm-rep1", "caltech-dorm-few-rep0", "caltech-dorm-few-rep1")) {
  d <- read.csv(file.path(dir, paste0(f, ".csv")))
  d$cluster <- d$unit
  d$z <- d$dose
  # a missing attribute (NA) is replaced by the attribute's mean, as estimate/lin.ts does
  d$year[is.na(d$year)] <- mean(d$year, na.rm = TRUE)
  # the cluster difference in means: CR2 with Bell-McCaffrey df, and CR1 (stata) beside it
  add(paste0(f, "/cr2"), tidy1(lm_robust(y ~ z, data = d, clusters = cluster, se_type = "CR2")))
  add(paste0(f, "/cr1-stata"), tidy1(lm_robust(y ~ z, data = d, clusters = cluster, se_type = "stata")))
  # the same CR2 through clubSandwich (Satterthwaite df)
  ct <- coef_test(lm(y ~ z, data = d), vcov = "CR2", cluster = d$cluster, test = "Satterthwaite")
  add(paste0(f, "/clubSandwich-cr2"), list(estimate = ct$beta[2], std_error = ct$SE[2], df = ct$df_Satt[2]))
  # Lin's adjustment with clusters (CR2), two covariate sets
  add(paste0(f, "/lin-baseline"), tidy1(lm_lin(y ~ z, covariates = ~baseline, data = d, clusters = cluster)))
  add(paste0(f, "/lin-baseline-year"), tidy1(lm_lin(y ~ z, covariates = ~ baseline + year, data = d, clusters = cluster)))
  # CUPED by hand: theta pooled, then lm_robust CR2 of the adjusted outcome
  th <- coef(lm(y ~ baseline + year, data = d))[c("baseline", "year")]
  d$yc <- d$y - th[1] * (d$baseline - mean(d$baseline)) - th[2] * (d$year - mean(d$year))
  add(paste0(f, "/cuped-baseline-year"), tidy1(lm_robust(yc ~ z, data = d, clusters = cluster, se_type = "CR2")))
}
d <- read.csv(file.path(dir, "caltech-user-rep0.csv"))
d$z <- d$dose
d$year[is.na(d$year)] <- mean(d$year, na.rm = TRUE)
add("caltech-user-rep0/hc2", tidy1(lm_robust(y ~ z, data = d, se_type = "HC2")))
add("caltech-user-rep0/lin-baseline", tidy1(lm_lin(y ~ z, covariates = ~baseline, data = d)))
add("caltech-user-rep0/lin-baseline-year", tidy1(lm_lin(y ~ z, covariates = ~ baseline + year, data = d)))
th <- coef(lm(y ~ baseline, data = d))["baseline"]
d$yc <- d$y - th * (d$baseline - mean(d$baseline))
add("caltech-user-rep0/cuped-baseline", tidy1(lm_robust(yc ~ z, data = d, se_type = "HC2")))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "expected.json"))
cat("wrote", file.path(dir, "expected.json"), "\n")
