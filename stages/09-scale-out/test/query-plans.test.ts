import { describePlanSummary } from "@zero-to-one/contract";
import { summarize } from "../src/query-plans.js";

describePlanSummary({ summarize });
