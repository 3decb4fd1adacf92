import { describeDeadline } from "@zero-to-one/contract";
import { createDeadline, DeadlineError } from "../src/deadline.js";

describeDeadline("06-cache", { createDeadline, DeadlineError });
