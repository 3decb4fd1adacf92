import { describeClientAddress } from "@zero-to-one/contract";
import { addressList, clientAddress } from "../src/client-address.js";

describeClientAddress({ clientAddress, addressList });
