import { describeDeadline } from "@zero-to-one/contract";
import { createDeadline, DeadlineError } from "../src/deadline.js";

describeDeadline("09-scale-out", { createDeadline, DeadlineError });
