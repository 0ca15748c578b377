/** Tests start the same Azurite launcher the local stack uses. */
export { AZURITE_ACCOUNT, AZURITE_KEY, type AzuriteHandle, freePort, startAzurite } from "../../functions/host/azurite.ts";
