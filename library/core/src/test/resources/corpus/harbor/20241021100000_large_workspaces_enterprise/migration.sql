UPDATE "Subscription" SET "plan" = 'ENTERPRISE' WHERE "seats" > 500;
